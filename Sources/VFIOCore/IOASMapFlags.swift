import CVFIO

/// The flags of `struct iommu_ioas_map`.
/// Frozen and inlinable: a map call's default `[...]` folds to a constant at
/// the caller instead of calling two lazily initialised globals per mapping.
@frozen
public struct IOASMapFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32

    @inlinable
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Map at the IOVA given instead of one the kernel picks.
    @inlinable public static var fixedIOVA: IOASMapFlags { IOASMapFlags(rawValue: CVFIO_IOMMU_IOAS_MAP_FIXED_IOVA) }
    /// The device may write the memory.
    @inlinable public static var writeable: IOASMapFlags { IOASMapFlags(rawValue: CVFIO_IOMMU_IOAS_MAP_WRITEABLE) }
    /// The device may read the memory.
    @inlinable public static var readable: IOASMapFlags { IOASMapFlags(rawValue: CVFIO_IOMMU_IOAS_MAP_READABLE) }
}
