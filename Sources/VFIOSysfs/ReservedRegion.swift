/// One line of an IOMMU group's `reserved_regions`: an inclusive IOVA range and its type.
public struct ReservedRegion: Hashable, Sendable {
    /// The region types the kernel prints, with unknown ones kept verbatim.
    public enum Kind: Hashable, Sendable, CustomStringConvertible {
        /// Must always be mapped 1:1 (RMRR, IVMD unity map, IORT RMR); makes the group unassignable.
        case direct
        /// An RMRR used only by USB or graphics; ignored for assignment.
        case directRelaxable
        /// Never mapped (e.g. AMD HyperTransport).
        case reserved
        /// An MSI doorbell window.
        case msi
        case other(String)

        public init(_ text: String) {
            switch text {
            case "direct": self = .direct
            case "direct-relaxable": self = .directRelaxable
            case "reserved": self = .reserved
            case "msi": self = .msi
            default: self = .other(text)
            }
        }

        public var description: String {
            switch self {
            case .direct: "direct"
            case .directRelaxable: "direct-relaxable"
            case .reserved: "reserved"
            case .msi: "msi"
            case .other(let text): text
            }
        }
    }

    public let start: UInt64
    /// Inclusive, as the kernel prints it.
    public let end: UInt64
    public let kind: Kind

    public init(start: UInt64, end: UInt64, kind: Kind) {
        self.start = start
        self.end = end
        self.kind = kind
    }

    /// Parses one `0x%016llx 0x%016llx %s` line; nil when the line is malformed.
    public init?(line: some StringProtocol) {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 3,
              let start = Self.parseHex(fields[0]), let end = Self.parseHex(fields[1]), start <= end
        else { return nil }
        self.init(start: start, end: end, kind: Kind(String(fields[2])))
    }

    private static func parseHex(_ field: some StringProtocol) -> UInt64? {
        guard field.hasPrefix("0x") else { return nil }
        return UInt64(field.dropFirst(2), radix: 16)
    }

    /// `0xfee00000-0xfeefffff` style, for messages.
    public var range: String { "0x" + zeroPaddedHex(start, 8) + "-0x" + zeroPaddedHex(end, 8) }
}

extension ReservedRegion {
    /// Parses the whole `reserved_regions` file; malformed lines are returned separately.
    public static func parseFile(_ text: String) -> (regions: [ReservedRegion], malformed: [String]) {
        var regions: [ReservedRegion] = []
        var malformed: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if let region = ReservedRegion(line: line) {
                regions.append(region)
            } else {
                malformed.append(String(line))
            }
        }
        return (regions, malformed)
    }
}
