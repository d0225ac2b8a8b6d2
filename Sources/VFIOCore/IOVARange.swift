import VFIOSysfs

/// A range of I/O virtual addresses with an inclusive end, as both type1
/// (`vfio_iova_range.end`) and iommufd (`iommu_iova_range.last`) report them.
public struct IOVARange: Hashable, Sendable, CustomStringConvertible {
    public let start: UInt64
    /// The last address in the range (inclusive).
    public let last: UInt64

    /// nil when `last` is below `start`.
    public init?(start: UInt64, last: UInt64) {
        guard start <= last else { return nil }
        self.start = start
        self.last = last
    }

    /// The range `[start, start + length)`; nil when empty or when it wraps past 2^64.
    public init?(start: UInt64, length: UInt64) {
        guard length > 0 else { return nil }
        let (last, overflow) = start.addingReportingOverflow(length - 1)
        guard !overflow else { return nil }
        self.start = start
        self.last = last
    }

    /// Bytes in the range; nil for the whole 64-bit space, whose size does not fit.
    public var length: UInt64? {
        let (length, overflow) = (last - start).addingReportingOverflow(1)
        return overflow ? nil : length
    }

    public func contains(_ other: IOVARange) -> Bool {
        start <= other.start && other.last <= last
    }

    public func overlaps(_ other: IOVARange) -> Bool {
        start <= other.last && other.start <= last
    }

    /// `0x0000000000000000-0x00000000fedfffff`
    public var description: String { "0x" + zeroPaddedHex(start, 16) + "-0x" + zeroPaddedHex(last, 16) }
}
