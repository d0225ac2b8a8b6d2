extension DoctorReport {
    /// `PASS  iommu-enabled  summary`, then the evidence and the fix, indented.
    func render() -> String {
        let checks = checks.map(\.value)
        let width = checks.map(\.id.count).max() ?? 0
        var lines = checks.flatMap { check -> [String] in
            var block = ["\(check.status.rawValue.uppercased())  \(TextLayout.column(check.id, width))  \(check.summary)"]
            block += check.evidence.map { "      \($0.source): \($0.value)" }
            if let fix = check.fix { block.append("      fix: \(fix)") }
            if check.needsRoot { block.append("      needs root") }
            return block
        }
        lines.append("doctor: \(counts.pass) pass, \(counts.warn) warn, \(counts.fail) fail, \(counts.skip) skip"
            + (root ? "" : " (not root: checks that need root were skipped)"))
        return lines.joined(separator: "\n")
    }
}
