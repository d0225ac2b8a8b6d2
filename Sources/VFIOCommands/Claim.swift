#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import VFIOClaim
import VFIOSysfs

extension VFIOAdm {
    struct Claim: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hand whole IOMMU groups to a VFIO driver, safely and atomically.",
            discussion: """
            An address means its whole group. Endpoints move to the driver (driver_override, unbind, \
            drivers_probe, then the driver link is checked); bridges, pci-stub and members already on a VFIO \
            driver stay as they are. Before anything is written, vfioadm refuses (exit 3) a member that backs \
            a mounted file system, swap or a dm/md/LVM holder, a network interface that is up with an address \
            or a route, the boot VGA device with a console on it, a group or cdev held open by a process, and \
            an SR-IOV PF with VFs enabled, unless --force; a firmware 'direct' region it refuses even then \
            (exit 2). Every write is recorded in a journal under --state-dir, synced before it is made; if a \
            step fails, everything done is undone. Afterwards the kernel must report the group viable \
            (VFIO_GROUP_GET_STATUS). Claiming a held group changes nothing ('unchanged'); a claim interrupted \
            by a crash is undone first. Needs root, except --dry-run.
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var state: StateOptions

        @Argument(help: ArgumentHelp("IOMMU group numbers or PCI addresses (an address means its group).",
                                     valueName: "group|address"))
        var arguments: [String]

        @Option(help: ArgumentHelp("vfio-pci, a variant driver's name, or auto: the variant driver modules.alias "
                                       + "names for the device, else vfio-pci.", valueName: "driver"))
        var driver = "vfio-pci"

        @Option(help: ArgumentHelp("Give /dev/vfio/N, the device cdevs and group access to /dev/iommu to "
                                       + "USER (and GROUP, default the user's group).", valueName: "USER[:GROUP]"))
        var owner: String?

        @Flag(help: "Print the plan as the exact sysfs writes and change nothing.")
        var dryRun = false

        @Flag(help: "Claim despite mounted file systems, swap, active interfaces, consoles, open nodes or VFs.")
        var force = false

        func validate() throws {
            _ = try Target.parseAll(arguments)
            guard DriverChoice(driver) != nil else {
                throw ValidationError("--driver \(driver.debugDescription) is not vfio-pci, a VFIO variant driver "
                    + "name (ending in vfio-pci or vfio_pci) or auto")
            }
        }

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            let targets: [Target]
            do { targets = try Target.parseAll(arguments) } catch { throw .usage("bad-target", "\(error)") }
            guard let choice = DriverChoice(driver) else { throw .usage("bad-driver", "--driver \(driver) is not usable") }
            var resolvedOwner: NodeOwner?
            if let owner {
                switch NodeOwner.resolve(owner) {
                case .success(let value): resolvedOwner = value
                case .failure(let problem): throw .usage("bad-owner", problem.message)
                }
            }
            let groups = try Target.groups(targets, reader: reader)
            if !dryRun { try RootRequirement.check("claim") }
            let claimer = Claimer(paths: state.paths(global), afterWrite: CrashHook.fromEnvironment())
            let request = Claimer.Request(groups: groups, driver: choice, owner: resolvedOwner, dryRun: dryRun,
                                          force: force)
            let report: ClaimReport
            do { report = try claimer.run(request) } catch { throw CommandFailure(error) }
            return CommandOutput(text: ClaimText.render(report, owner: resolvedOwner),
                                 json: ClaimJSON(report, owner: resolvedOwner), status: Self.status(report))
        }

        static func status(_ report: ClaimReport) -> ExitStatus {
            let hazards = report.groups.filter { $0.result == .refused }.flatMap(\.hazards)
            if hazards.contains(where: { !$0.overridable }) { return .notViable }
            if report.groups.contains(where: { $0.result == .refused }) { return .refused }
            return .success
        }
    }
}

/// The claim report as `--json` prints it.
struct ClaimJSON: Encodable {
    let schemaVersion = 1
    let ok: Bool
    let dryRun: Bool
    let lockWaitSeconds: Double
    let groups: [ClaimOutcome]
    let owner: Owner?

    /// `--owner` and what its user needs to lock.
    struct Owner: Encodable {
        let user: String
        let uid: UInt32
        let gid: UInt32
        let memlock: String
    }

    init(_ report: ClaimReport, owner: NodeOwner?) {
        ok = report.succeeded
        dryRun = report.dryRun
        lockWaitSeconds = report.lockWaitSeconds
        groups = report.groups
        self.owner = owner.map { Owner(user: $0.user, uid: $0.uid, gid: $0.gid, memlock: ClaimText.memlockAdvice($0)) }
    }
}

/// The crash test hook: with VFIOADM_TEST_CRASH_AFTER_WRITE=N in the environment,
/// the process kills itself with SIGKILL right after its Nth sysfs write, as a
/// power cut or an OOM kill would stop it.
enum CrashHook {
    static func fromEnvironment() -> (@Sendable (Int) -> Void)? {
        guard let text = getenv("VFIOADM_TEST_CRASH_AFTER_WRITE").map({ String(cString: $0) }),
              let limit = Int(text), limit > 0
        else { return nil }
        return { count in if count == limit { kill(getpid(), SIGKILL) } }
    }
}
