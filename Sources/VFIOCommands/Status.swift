import ArgumentParser
import VFIOClaim
import VFIOSysfs

extension VFIOAdm {
    struct Status: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the groups vfioadm holds, from its journals, checked against sysfs.",
            discussion: """
            Reports drift: a member rebound by someone else since the claim, a member that is gone, or a \
            claim or release interrupted by a crash (run release or claim to finish). With persistent claims \
            under --config-dir, each entry is shown as desired against what is held, with why it is not (a \
            device that is no longer the one recorded, or what the last apply skipped). Exits 0 when \
            everything matches, 2 when anything has drifted or a desired group is not held.
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var state: StateOptions

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            let paths = state.paths(global)
            let held: [HeldGroup]
            let entries: [PersistentClaim]
            do {
                held = try ClaimStatus(paths: paths).held()
                entries = try ClaimConfig(paths: paths).entries()
            } catch { throw CommandFailure(error) }
            let skips = ApplyRecord.load(paths: paths)?.skipped ?? []
            let desired = entries.map { entry in
                let check = EntryCheck(entry, reader: reader)
                let holding = held.first { group in group.group == check.group && group.phase == .claimed && group.consistent }
                var drift = check.mismatches
                if holding == nil, drift.isEmpty {
                    drift.append(skips.first { $0.entry == entry.name }.map { "the last apply skipped it: \($0.reason)" }
                        ?? "not held: run vfioadm apply")
                }
                return StatusReport.Desired(entry: entry.name, file: paths.config + "/claims/\(entry.name).conf",
                                            driver: entry.driver, group: check.group, held: holding != nil, drift: holding == nil ? drift : check.mismatches)
            }
            let consistent = held.allSatisfy(\.consistent) && desired.allSatisfy(\.drift.isEmpty)
            let report = StatusReport(consistent: consistent, stateDirectory: paths.state, configDirectory: paths.config,
                                      groups: held.map(HeldGroup.JSON.init), desired: desired)
            return CommandOutput(text: report.render(), json: report, status: consistent ? .success : .notViable)
        }
    }
}
