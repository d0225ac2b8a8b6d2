/// Picks IOVAs for the group-based modes, where the caller must choose.
enum IOVAPlacement {
    /// The lowest IOVA inside one of `ranges`, outside every range in `used`,
    /// aligned to the largest supported page size not above `length` (so huge
    /// IOPTEs can be used), where `length` bytes fit.
    static func firstFit(length: UInt64, in ranges: [IOVARange], avoiding used: [IOVARange], pageSizes: UInt64)
        -> UInt64?
    {
        guard length > 0 else { return nil }
        var alignment: UInt64 = pageSizes == 0 ? 4096 : pageSizes & (~pageSizes &+ 1)
        for shift in stride(from: 63, through: 0, by: -1) {
            let size = UInt64(1) << UInt64(shift)
            if pageSizes & size != 0, size <= length {
                alignment = max(alignment, size)
                break
            }
        }
        let taken = used.sorted { $0.start < $1.start }
        for range in ranges.sorted(by: { $0.start < $1.start }) {
            var candidate = align(range.start, to: alignment)
            while let start = candidate, let wanted = IOVARange(start: start, length: length), range.contains(wanted) {
                guard let clash = taken.first(where: { $0.overlaps(wanted) }) else { return start }
                candidate = clash.last == UInt64.max ? nil : align(clash.last + 1, to: alignment)
            }
        }
        return nil
    }

    private static func align(_ value: UInt64, to alignment: UInt64) -> UInt64? {
        let (sum, overflow) = value.addingReportingOverflow(alignment - 1)
        return overflow ? nil : sum & ~(alignment - 1)
    }
}
