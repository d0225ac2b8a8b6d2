import ArgumentParser
import VFIOClaim

extension VFIOAdm {
    struct Status: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the groups vfioadm holds, from its journals, checked against sysfs.",
            discussion: """
            Reports drift: a member rebound by someone else since the claim, a member that is gone, or a \
            claim or release interrupted by a crash (run release or claim to finish). Exits 0 when \
            everything matches, 2 when anything has drifted.
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var state: StateOptions

        struct Report: Encodable {
            let schemaVersion = 1
            let consistent: Bool
            let stateDirectory: String
            let groups: [HeldGroup]
        }

        func report() throws(CommandFailure) -> CommandOutput {
            _ = try global.reader()
            let paths = state.paths(global)
            let held: [HeldGroup]
            do { held = try ClaimStatus(paths: paths).held() } catch { throw CommandFailure(error) }
            let consistent = held.allSatisfy(\.consistent)
            return CommandOutput(
                text: ClaimText.render(held, state: paths.state),
                json: Report(consistent: consistent, stateDirectory: paths.state, groups: held),
                status: consistent ? .success : .notViable)
        }
    }
}
