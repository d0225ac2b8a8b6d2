import ArgumentParser
import VFIOClaim
import VFIOSysfs

extension VFIOAdm {
    struct SRIOV: ReportingCommand {
        static let configuration = CommandConfiguration(
            commandName: "sriov",
            abstract: "Show an SR-IOV physical function's VFs, or set their count and claim them.",
            discussion: """
            Without --vfs: the PF's total and enabled VFs, their offset and stride, and each VF's address, \
            group and driver, with a warning when a VF shares the PF's group or the PF's vfio-pci driver \
            demands a VF token. With --vfs N: sriov_drivers_autoprobe is set to 0 first, so no host driver \
            grabs the new VFs, then sriov_numvfs is written (through 0 when changing a non-zero count); while a \
            VF is held by vfioadm or in use (any hazard a claim would find) it is refused (exit 3). With \
            --claim the new VFs' groups are then claimed in one atomic claim, rolled back whole on failure. \
            Needs root, except without --vfs and with --dry-run.
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var state: StateOptions
        @OptionGroup var timeout: WriteTimeoutOptions

        @Argument(help: ArgumentHelp("The physical function: a PCI address or a selector naming one function.",
                                     valueName: "pf"))
        var target: String

        @Option(help: ArgumentHelp("Set the number of enabled VFs.", valueName: "N"))
        var vfs: Int?

        @Flag(help: "Claim every VF's group once they exist.")
        var claim = false

        @Option(help: ArgumentHelp("With --claim: vfio-pci, a variant driver or auto.", valueName: "driver"))
        var driver = "vfio-pci"

        @Option(help: ArgumentHelp("With --claim: give the nodes to USER[:GROUP].", valueName: "USER[:GROUP]"))
        var owner: String?

        @Flag(help: "Print the writes and change nothing.")
        var dryRun = false

        @Flag(help: ArgumentHelp("Also record the VF count (and with --claim the VFs' claims) under --config-dir, "
                                     + "for vfioadm apply at every boot; --vfs 0 --persist forgets them."))
        var persist = false

        func validate() throws {
            _ = try Target.parseAll([target])
            if claim, vfs == nil { throw ValidationError("--claim goes with --vfs N") }
            if persist, vfs == nil { throw ValidationError("--persist goes with --vfs N") }
            if let vfs, vfs < 0 { throw ValidationError("--vfs \(vfs) must be 0 or more") }
            guard DriverChoice(driver) != nil else { throw ValidationError("--driver \(driver.debugDescription) is not usable") }
        }

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            let (parsed, selectors) = try Target.single(target, reader: reader)
            guard case .device(let address) = parsed else { throw .usage("bad-target", "\(target) is not a PCI function") }
            try parsed.requireExists(reader)
            guard let pf = PhysicalFunction.read(address, reader: reader) else {
                throw .usage("no-sriov", "\(address) has no SR-IOV capability (\(reader.root.device(address))/sriov_totalvfs "
                    + "does not exist)")
            }
            guard let count = vfs else {
                let report = SRIOVReport(pf: .init(value: pf), warnings: pf.warnings, dryRun: false, writes: [], hazards: [], claim: nil,
                                         persisted: [])
                return CommandOutput(text: report.render(), json: report, status: .success, selectors: selectors)
            }
            if !dryRun { try RootRequirement.check("sriov --vfs") }
            var resolvedOwner: NodeOwner?
            if let owner {
                switch NodeOwner.resolve(owner) {
                case .success(let value): resolvedOwner = value
                case .failure(let problem): throw .usage("bad-owner", problem.message)
                }
            }
            let paths = state.paths(global)
            let setter = VFCount(paths: paths)
            do throws(ClaimError) {
                let writes = try setter.plan(pf, count: count)
                let hazards = writes.isEmpty || pf.numVFs == 0 ? [] : try setter.blockers(pf)
                if !hazards.isEmpty || dryRun {
                    let report = SRIOVReport(pf: .init(value: pf), warnings: pf.warnings, dryRun: dryRun, writes: writes,
                                             hazards: hazards.map(Hazard.JSON.init),
                                             claim: nil, persisted: [])
                    return CommandOutput(text: report.render(), json: report, status: hazards.isEmpty ? .success : .refused,
                                         selectors: selectors)
                }
                try setter.apply(writes)
                guard let now = PhysicalFunction.read(address, reader: reader) else {
                    throw ClaimError(.failed, code: "sriov-gone", "\(address) lost its SR-IOV capability")
                }
                var claimed: Claimer.Report?
                if claim, count > 0 {
                    let shared = now.vfs.filter { $0.group == now.group }
                    guard shared.isEmpty else {
                        throw ClaimError(.refused, code: "vf-shares-pf-group",
                                         "the VFs were created, but \(shared.map(\.address.description).joined(separator: ", ")) "
                                             + "share\(shared.count == 1 ? "s" : "") group \(now.group.map(\.description) ?? "?") "
                                             + "with the PF: claiming it would take the PF away from its VFs")
                    }
                    let groups = Array(Set(now.vfs.compactMap(\.group))).sorted()
                    let claimer = Claimer(paths: paths, afterWrite: CrashHook.fromEnvironment(),
                                          watch: timeout.watch(json: global.json))
                    claimed = try claimer.run(.init(groups: groups, driver: DriverChoice(driver) ?? .named(DriverChoice.vfioPCI),
                                                    owner: resolvedOwner))
                }
                let after = PhysicalFunction.read(address, reader: reader) ?? now
                var persisted: [String] = []
                if persist, claimed?.succeeded ?? true {
                    let persistence = Persistence(paths: paths)
                    persisted = try persistence.recordVFs(address, count: count, vfs: pf.vfs.map(\.address))
                    if let claimed {
                        persisted += try persistence.record(claimed.groups.map(\.group), driver: driver, owner: resolvedOwner)
                    }
                }
                let report = SRIOVReport(pf: .init(value: after), warnings: after.warnings, dryRun: false, writes: writes, hazards: [],
                                         claim: claimed.map { ClaimReport(claim: $0, owner: resolvedOwner, persisted: []) },
                                         persisted: persisted)
                let status = claimed.map(VFIOAdm.Claim.status) ?? .success
                return CommandOutput(text: report.render(), json: report, status: status, selectors: selectors)
            } catch { throw CommandFailure(error) }
        }
    }
}
