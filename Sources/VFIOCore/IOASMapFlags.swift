import CVFIO

/// The flags of `struct iommu_ioas_map`.
/// Frozen and inlinable: a map call's default `[...]` folds to a constant at
/// the caller instead of calling two lazily initialised globals per mapping.
@frozen
public struct IOASMapFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32

    @inlinable
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Map at the IOVA given instead of one the kernel picks.
    @inlinable public static var fixedIOVA: IOASMapFlags { IOASMapFlags(rawValue: CVFIO_IOMMU_IOAS_MAP_FIXED_IOVA) }
    /// The device may write the memory.
    @inlinable public static var writeable: IOASMapFlags { IOASMapFlags(rawValue: CVFIO_IOMMU_IOAS_MAP_WRITEABLE) }
    /// The device may read the memory.
    @inlinable public static var readable: IOASMapFlags { IOASMapFlags(rawValue: CVFIO_IOMMU_IOAS_MAP_READABLE) }
}

/// An iommufd option (`iommu_option.option_id`).
public struct IOMMUOption: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Global (object 0): 0 charges pinned memory per user (the /dev/iommu
    /// default), 1 per process. Setting it needs CAP_SYS_RESOURCE and an empty context.
    public static let rlimitMode = IOMMUOption(rawValue: CVFIO_IOMMU_OPTION_RLIMIT_MODE)
    /// Per IOAS: 1 combines contiguous pages into large IOPTEs (the default), 0 maps PAGE_SIZE entries.
    public static let hugePages = IOMMUOption(rawValue: CVFIO_IOMMU_OPTION_HUGE_PAGES)

    public var description: String {
        switch rawValue {
        case CVFIO_IOMMU_OPTION_RLIMIT_MODE: "IOMMU_OPTION_RLIMIT_MODE"
        case CVFIO_IOMMU_OPTION_HUGE_PAGES: "IOMMU_OPTION_HUGE_PAGES"
        default: "option \(rawValue)"
        }
    }
}

/// An IOAS's usable IOVA ranges and the alignment mappings need.
/// The corresponding ioctl is `IOMMU_IOAS_IOVA_RANGES`.
public struct IOASRanges: Hashable, Sendable {
    public let ranges: [IOVARange]
    /// `out_iova_alignment`: IOVA and length of every mapping must be multiples of it.
    public let alignment: UInt64

    public init(ranges: [IOVARange], alignment: UInt64) {
        self.ranges = ranges
        self.alignment = alignment
    }
}
