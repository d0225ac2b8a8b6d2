import CVFIO

/// A VFIO extension or IOMMU backend ID, as `VFIO_CHECK_EXTENSION` and
/// `VFIO_SET_IOMMU` take it.
public struct VFIOExtension: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let type1 = VFIOExtension(rawValue: CVFIO_TYPE1_IOMMU)
    public static let spaprTCE = VFIOExtension(rawValue: CVFIO_SPAPR_TCE_IOMMU)
    public static let type1v2 = VFIOExtension(rawValue: CVFIO_TYPE1v2_IOMMU)
    /// The IOMMU enforces cache coherency (can change as groups come and go).
    public static let dmaCacheCoherent = VFIOExtension(rawValue: CVFIO_DMA_CC_IOMMU)
    public static let eeh = VFIOExtension(rawValue: CVFIO_EEH)
    public static let type1Nesting = VFIOExtension(rawValue: CVFIO_TYPE1_NESTING_IOMMU)
    public static let spaprTCEv2 = VFIOExtension(rawValue: CVFIO_SPAPR_TCE_v2_IOMMU)
    public static let noIOMMU = VFIOExtension(rawValue: CVFIO_NOIOMMU_IOMMU)
    public static let unmapAll = VFIOExtension(rawValue: CVFIO_UNMAP_ALL)
    public static let updateVaddr = VFIOExtension(rawValue: CVFIO_UPDATE_VADDR)

    /// Every ID up to `updateVaddr`, in order.
    public static let known: [VFIOExtension] = [
        .type1, .spaprTCE, .type1v2, .dmaCacheCoherent, .eeh, .type1Nesting, .spaprTCEv2, .noIOMMU,
        .unmapAll, .updateVaddr,
    ]

    /// The kernel's name, e.g. `VFIO_TYPE1v2_IOMMU`.
    public var description: String {
        switch rawValue {
        case CVFIO_TYPE1_IOMMU: "VFIO_TYPE1_IOMMU"
        case CVFIO_SPAPR_TCE_IOMMU: "VFIO_SPAPR_TCE_IOMMU"
        case CVFIO_TYPE1v2_IOMMU: "VFIO_TYPE1v2_IOMMU"
        case CVFIO_DMA_CC_IOMMU: "VFIO_DMA_CC_IOMMU"
        case CVFIO_EEH: "VFIO_EEH"
        case CVFIO_TYPE1_NESTING_IOMMU: "VFIO_TYPE1_NESTING_IOMMU"
        case CVFIO_SPAPR_TCE_v2_IOMMU: "VFIO_SPAPR_TCE_v2_IOMMU"
        case CVFIO_NOIOMMU_IOMMU: "VFIO_NOIOMMU_IOMMU"
        case CVFIO_UNMAP_ALL: "VFIO_UNMAP_ALL"
        case CVFIO_UPDATE_VADDR: "VFIO_UPDATE_VADDR"
        default: "extension \(rawValue)"
        }
    }
}
