import ArgumentParser
import VFIOClaim
import VFIOSysfs

extension VFIOAdm {
    struct Release: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give claimed groups back exactly as vfioadm found them.",
            discussion: """
            Puts every member back on its recorded driver with its recorded driver_override, and every node \
            back to its recorded owner, from the journal under --state-dir, also after a crash mid-claim. \
            Without a journal it clears driver_override and reprobes, and warns that the original driver was \
            not recorded. Refuses (exit 3) while a process holds the group or a cdev open, unless --force. \
            Idempotent. Needs root.
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var state: StateOptions

        @Argument(help: .groupTargets)
        var arguments: [String]

        @Flag(help: "Release even while a process holds the group open (the unbind waits for it to let go).")
        var force = false

        @OptionGroup var timeout: WriteTimeoutOptions

        @Flag(help: "Also forget the groups' persistent claims, so that apply no longer claims them.")
        var persist = false

        func validate() throws {
            _ = try Target.parseAll(arguments)
        }

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            let (targets, selectors) = try Target.all(arguments, reader: reader, .any)
            let groups = try Target.groups(targets, reader: reader)
            try RootRequirement.check("release")
            let result: Releaser.Report
            var forgotten: [String] = []
            do {
                let paths = state.paths(global)
                result = try Releaser(paths: paths, watch: timeout.watch(json: global.json)).run(groups: groups, force: force)
                if persist, result.succeeded { forgotten = try Persistence(paths: paths).forget(groups) }
            } catch {
                throw CommandFailure(error)
            }
            let report = ReleaseReport(release: result, forgotten: forgotten)
            return CommandOutput(text: report.render(), json: report, status: result.succeeded ? .success : .refused,
                                 selectors: selectors)
        }
    }
}
