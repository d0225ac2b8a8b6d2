import VFIOClaim
import VFIOSysfs

/// The text of `release`: per group what was undone, and any hazard it overrode or refused.
extension ReleaseReport {
    /// Each group's outcome with its writes and restored nodes, then the persistent claims forgotten.
    func render() -> String {
        var lines: [String] = []
        for outcome in groups.map(\.value) {
            let heading = switch outcome.result {
            case .released: "released (\(outcome.writes.count) writes)"
            case .reset: "reset without a journal (\(outcome.writes.count) writes)"
            case .unchanged: "unchanged (nothing held)"
            case .refused: "refused, nothing written"
            }
            lines.append("group \(outcome.group): \(heading)")
            lines += TextLayout.hazards(outcome.hazards, forced: outcome.result != .refused)
            for write in outcome.writes { lines.append("  done  \(write)") }
            for node in outcome.nodes { lines.append("  node  \(node) ownership restored") }
            for warning in outcome.warnings { lines.append("  warning: \(warning)") }
        }
        return lines.joined(separator: "\n") + forgotten.map { "\nforgot \($0)" }.joined()
    }
}
