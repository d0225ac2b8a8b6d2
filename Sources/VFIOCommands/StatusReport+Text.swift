import VFIOClaim
import VFIOSysfs

/// The text of `status`: the groups vfioadm holds, each member's driver then and now, and any drift.
extension StatusReport {
    /// The groups held with their members and drift, then each persistent claim.
    func render() -> String {
        heldLines() + desiredLines()
    }

    private func heldLines() -> String {
        guard !groups.isEmpty else { return "vfioadm holds no groups (no journal in \(stateDirectory))" }
        var lines: [String] = []
        for group in groups.map(\.value) {
            lines.append("group \(group.group): \(group.phase.rawValue)"
                + (group.owner.map { ", nodes owned by \($0)" } ?? "") + (group.consistent ? "" : ", DRIFT"))
            for member in group.members {
                let was = member.originalDriver?.rawValue ?? "no driver"
                let now = member.driver?.rawValue ?? "no driver"
                let plan = member.target.map { "claimed from \(was) for \($0)" } ?? "left on \(was)"
                lines.append("  \(member.address)  \(now)  (\(plan))")
            }
            for drift in group.drift { lines.append("  drift: \(drift)") }
        }
        return lines.joined(separator: "\n")
    }

    private func desiredLines() -> String {
        desired.map { (entry: Desired) -> String in
            let group = entry.group.map { ", group \($0)" } ?? ""
            let heading = "\ndesired \(entry.entry) (\(entry.file)): " + (entry.held ? "held" : "NOT HELD") + group
            return ([heading] + entry.drift.map { "  drift: \($0)" }).joined(separator: "\n")
        }.joined()
    }
}
