extension CaptureReport {
    func render() -> String {
        var lines = ["wrote \(file): \(bytes) bytes, \(files) files, \(links) links, \(directories) folders "
            + "for \(reads) paths read by \(commands) commands"]
        if !asRoot { lines.append("not root: config space past byte 64 could not be read and is not in the bundle") }
        if !skipped.isEmpty { lines.append("\(skipped.count) device nodes and paths outside the root were not captured") }
        lines += rewrittenLinks.map { "link \($0.path) -> \($0.target) stored as \($0.stored)" }
        lines += unreadable.map { entry in
            "could not read \(entry.path): \(entry.reason)" + (entry.errnoName.map { " (\($0))" } ?? "")
        }
        return lines.joined(separator: "\n")
    }
}
