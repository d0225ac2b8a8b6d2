import ArgumentParser
import VFIOClaim
import VFIOSysfs

extension VFIOAdm {
    struct Apply: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Converge the host to the persistent claims under --config-dir.",
            discussion: """
            Claims every listed group that is not held, releases every group held from a persistent claim whose \
            entry is gone, and touches nothing else; idempotent. An entry is skipped, with the reason, when a \
            device at its address is not the one recorded (vendor:device, subsystem, serial), when its group \
            gained a member, or when the claim would be refused (a mount, swap, the root file system, the \
            console, an interface with a route, an open node...): apply never forces. --boot is what the \
            vfioadm-apply unit runs: a skipped entry's devices that the udev rule kept from their driver get it \
            back, so the host keeps booting. Exits 0 when the host matches afterwards, 2 when an entry was \
            skipped. Needs root, except --dry-run.
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var state: StateOptions
        @OptionGroup var timeout: WriteTimeoutOptions

        @Flag(help: "Print what apply would do and change nothing.")
        var dryRun = false

        @Flag(help: "Run as the boot unit does: give back the devices of skipped entries.")
        var boot = false

        func validate() throws {
            if dryRun && boot { throw ValidationError("--boot changes the host; it does not go with --dry-run") }
        }

        func report() throws(CommandFailure) -> CommandOutput {
            _ = try global.reader()
            if !dryRun { try RootRequirement.check("apply") }
            let paths = state.paths(global)
            let result: Applier.Report
            do {
                result = try Applier(paths: paths, watch: timeout.watch(json: global.json)).run(dryRun: dryRun, boot: boot)
            } catch { throw CommandFailure(error) }
            let report = ApplyReport(changed: result.changed, dryRun: dryRun, boot: boot, configDirectory: paths.config,
                                     groups: result.groups.map(Applier.Outcome.JSON.init))
            return CommandOutput(text: report.render(), json: report, status: result.skipped ? .notViable : .success)
        }
    }
}
