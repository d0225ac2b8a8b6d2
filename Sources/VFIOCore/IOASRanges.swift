/// An IOAS's usable IOVA ranges and the alignment mappings need.
/// The corresponding ioctl is `IOMMU_IOAS_IOVA_RANGES`.
public struct IOASRanges: Hashable, Sendable {
    public let ranges: [IOVARange]
    /// `out_iova_alignment`: IOVA and length of every mapping must be multiples of it.
    public let alignment: UInt64
}
