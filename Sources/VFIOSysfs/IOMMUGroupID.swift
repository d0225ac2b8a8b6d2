/// The number of an IOMMU group, the `N` in `/sys/kernel/iommu_groups/N` and
/// `/dev/vfio/N`.
public struct IOMMUGroupID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Parses a non-negative decimal group number: digits only, no sign, no spaces.
    public init?(_ text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.count <= 10, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let value = UInt32(text)
        else { return nil }
        rawValue = value
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: IOMMUGroupID, rhs: IOMMUGroupID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UInt32.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
