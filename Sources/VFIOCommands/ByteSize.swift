import ArgumentParser
import VFIOCore
import VFIOHost
import VFIOSysfs

/// A byte count given on the command line: decimal or `0x` hex, optionally
/// followed by `K`, `M`, `G` or `T` (or `KiB`…`TiB`), all powers of 1024.
package struct ByteSize: Hashable, Sendable, CustomStringConvertible, ExpressibleByArgument {
    let bytes: UInt64

    init(bytes: UInt64) {
        self.bytes = bytes
    }

    package init?(argument: String) {
        var text = Substring(argument)
        var shift: UInt64 = 0
        for (suffixes, bits) in [(["KiB", "K", "k"], 10), (["MiB", "M"], 20), (["GiB", "G"], 30), (["TiB", "T"], 40)] {
            if let suffix = suffixes.first(where: { text.hasSuffix($0) }) {
                text = text.dropLast(suffix.count)
                shift = UInt64(bits)
                break
            }
        }
        let value: UInt64? = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text, radix: 10)
        guard let value, !text.isEmpty, value <= UInt64.max >> shift else { return nil }
        bytes = value << shift
    }

    /// `1 MiB`, `4 KiB`, `12 bytes`.
    package var description: String { ByteFormat.bytes(bytes) }

    package static var defaultValueDescription: String { "1M" }
}

/// Byte counts and durations for the text reports.
enum ByteFormat {
    /// `8 MiB`, `64 KiB`, `1.5 GiB`, `512 bytes`.
    static func bytes(_ count: UInt64) -> String { formatBytes(count) }

    /// Each set bit of a page-size bitmap as a size: `4 KiB, 2 MiB, 1 GiB`.
    static func pageSizes(_ bitmap: UInt64) -> [String] {
        (0..<64).filter { bitmap & (1 << UInt64($0)) != 0 }.map { bytes(1 << UInt64($0)) }
    }

    /// `0x00000000fee00000`
    static func hex(_ value: UInt64) -> String { "0x" + zeroPaddedHex(value, 16) }

    /// Nanoseconds as `12.345 ms` or `0.012 ms`, fixed to three decimals.
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let micro = (nanoseconds + 500) / 1000
        let fraction = String(micro % 1000)
        return "\(micro / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction + " ms"
    }
}
