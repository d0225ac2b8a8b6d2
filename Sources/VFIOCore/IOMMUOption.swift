import CVFIO

/// An iommufd option (`iommu_option.option_id`).
public struct IOMMUOption: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

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
