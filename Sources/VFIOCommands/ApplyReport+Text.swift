extension ApplyReport {
    /// Each entry's action with its writes, then whether the host changed.
    func render() -> String {
        guard !groups.isEmpty else { return "nothing to apply: no persistent claim in \(configDirectory)/claims" }
        var lines: [String] = []
        for outcome in groups.map(\.value) {
            let name = outcome.entry.map { "entry \($0)" } ?? "held group"
            let group = outcome.group.map { " (group \($0))" } ?? ""
            let verb = dryRun && outcome.action != .unchanged && outcome.action != .skipped
                ? "would be " + outcome.action.rawValue : outcome.action.rawValue
            lines.append("\(name)\(group): \(verb)" + (outcome.reason.map { ": \($0)" } ?? ""))
            for write in outcome.writes { lines.append("  \(dryRun ? "plan" : "done")  \(write)") }
        }
        if dryRun {
            lines.append(changed ? "dry run: nothing written; apply would change the host" : "dry run: nothing to do")
        } else {
            lines.append(changed ? "changed" : "no change")
        }
        return lines.joined(separator: "\n")
    }
}
