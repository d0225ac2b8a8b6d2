/// Word wrapping for the 80-column text reports.
enum Wrap {
    static let width = 80

    /// `text` broken at spaces into lines of at most 80 columns; a word longer than a line stays whole.
    static func lines(_ text: String, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        var empty = true
        for word in text.split(separator: " ") {
            if !empty, line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                empty = true
            }
            line += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(line)
        return lines
    }

    /// One line cut to 80 columns, ending in `~` when cut.
    static func cut(_ line: String) -> String {
        line.count > width ? String(line.prefix(width - 1)) + "~" : line
    }
}
