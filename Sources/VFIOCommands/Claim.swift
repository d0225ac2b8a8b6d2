import Glibc
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
            driver stay as they are. Before anything is written, vfioadm looks at everything the kernel made below \
            each endpoint that moves and refuses (exit 3) a member that backs a mounted file system (a disk, a \
            virtio-9p or virtiofs share, a network file system or iSCSI over its interfaces), swap (a partition \
            or a file), a loop device's backing file, a dm/md/LVM holder, a network interface that is up with an \
            address or a route, enslaved to a bridge or bond or carrying established TCP connections, a device \
            node that a process holds open (DRM card, NVMe, tty...), a group or cdev held open, and an SR-IOV PF \
            with VFs enabled, unless --force. It never takes the device of the root file system, of the state \
            directory's file system or of an active console, not even with --force (exit 3), and refuses a \
            firmware 'direct' region or a bridge on a DMA driver (exit 2). Every hazard names the file it was \
            read from. Every write is recorded in a journal under --state-dir, synced before it is made; a write \
            that blocks past --timeout is reported on stderr with what the kernel waits for, and the claim fails \
            once it returns. If a step fails, everything done is undone. Afterwards the kernel must report the \
            group viable (VFIO_GROUP_GET_STATUS). Claiming a held group changes nothing ('unchanged'); a claim \
            interrupted by a crash is undone first. Needs root, except --dry-run.
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var state: StateOptions

        @Argument(help: .groupTargets)
        var arguments: [String]

        @Option(help: ArgumentHelp("vfio-pci, a variant driver's name, or auto: the variant driver modules.alias "
                                       + "names for the device, else vfio-pci.", valueName: "driver"))
        var driver = "vfio-pci"

        @Option(help: ArgumentHelp("Give /dev/vfio/N, the device cdevs and group access to /dev/iommu to "
                                       + "USER (and GROUP, default the user's group).", valueName: "USER[:GROUP]"))
        var owner: String?

        @Flag(help: "Claim every function an id: selector names (without it, a selector naming more than one is refused).")
        var all = false

        @Flag(help: "Print the plan as the exact sysfs writes and change nothing.")
        var dryRun = false

        @Flag(help: ArgumentHelp("Also record the claim under --config-dir, so that vfioadm apply (and apply --boot "
                                     + "at every boot) claims the group again."))
        var persist = false

        @Flag(help: ArgumentHelp("Claim despite mounted file systems, swap, loop devices, network use, open nodes "
                                     + "or VFs (never the root file system, the state directory's or a console)."))
        var force = false

        @OptionGroup var timeout: WriteTimeoutOptions

        func validate() throws {
            _ = try Target.parseAll(arguments)
            guard DriverChoice(driver) != nil else {
                throw ValidationError("--driver \(driver.debugDescription) is not vfio-pci, a VFIO variant driver "
                    + "name (ending in vfio-pci or vfio_pci) or auto")
            }
        }

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            let (targets, selectors) = try Target.all(arguments, reader: reader, .oneUnlessAll(all))
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
            let claimer = Claimer(paths: state.paths(global), afterWrite: CrashHook.fromEnvironment(),
                                  watch: timeout.watch(json: global.json))
            let request = Claimer.Request(groups: groups, driver: choice, owner: resolvedOwner, dryRun: dryRun,
                                          force: force)
            let report: Claimer.Report
            var persisted: [String] = []
            do {
                report = try claimer.run(request)
                if persist, !dryRun, report.succeeded {
                    persisted = try Persistence(paths: state.paths(global))
                        .record(report.groups.map(\.group), driver: driver, owner: resolvedOwner)
                }
            } catch { throw CommandFailure(error) }
            let output = ClaimReport(claim: report, owner: resolvedOwner, persisted: persisted)
            return CommandOutput(text: output.render(), json: output, status: Self.status(report), selectors: selectors)
        }

        static func status(_ report: Claimer.Report) -> ExitStatus {
            let hazards = report.groups.filter { $0.result == .refused }.flatMap(\.hazards)
            if hazards.contains(where: \.unassignable) { return .notViable }
            if report.groups.contains(where: { $0.result == .refused }) { return .refused }
            return .success
        }
    }
}
