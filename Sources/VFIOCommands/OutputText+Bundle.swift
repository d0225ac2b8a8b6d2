import ReportOutput
import VFIOCore
import VFIOHost

extension OutputText {
    /// The text with the bundle's temporary folder taken out of every path,
    /// so that paths read as on the captured host (`/sys/...`), and the root
    /// itself (`sysfsRoot`) named as the bundle file (escaped for JSON output).
    func showingHostPaths(of bundle: OpenedBundle, json: Bool) -> OutputText {
        let folder = Array(bundle.path.utf8)
        let quoted = json ? (try? ReportJSONEncoder.encode(bundle.file)).map { String($0.dropFirst().dropLast()) } : nil
        let file = Array((quoted ?? bundle.file).utf8)
        var text = pieces.flatMap { $0 }
        text = Self.replacing(folder + [0x2F], with: [0x2F], in: text)
        text = Self.replacing(folder, with: file, in: text)
        return OutputText(pieces: [text])
    }

    private static func replacing(_ pattern: [UInt8], with replacement: [UInt8], in text: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == pattern[0], text.count - index >= pattern.count,
               text[index..<index + pattern.count].elementsEqual(pattern) {
                result += replacement
                index += pattern.count
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }
}
