import VFIOClaim
import VFIOSysfs

/// The text of `status`: the groups vfioadm holds, each member's driver then and now, and any drift.
enum StatusText {
    static func render(_ held: [HeldGroup], state: String) -> String {
        guard !held.isEmpty else { return "vfioadm holds no groups (no journal in \(state))" }
        var lines: [String] = []
        for group in held {
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
}
