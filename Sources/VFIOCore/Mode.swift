/// How a device's DMA is set up, by the names the kernel's own VFIO selftests
/// give the four routes.
public enum Mode: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Legacy container, `VFIO_TYPE1_IOMMU`.
    case type1
    /// Legacy container, `VFIO_TYPE1v2_IOMMU`.
    case type1v2
    /// `/dev/iommu` passed to `VFIO_GROUP_SET_CONTAINER`, then the container ioctls on it.
    case iommufdCompat = "iommufd-compat"
    /// The device cdev bound to `/dev/iommu`, mapped through an IOAS.
    case iommufd

    public var description: String { rawValue }

    /// Whether the mode goes through the group node (`/dev/vfio/N`).
    public var usesGroup: Bool { self != .iommufd }

    /// The IOMMU type set on the container in the group-based modes.
    public var containerType: VFIOExtension? {
        switch self {
        case .type1: .type1
        case .type1v2, .iommufdCompat: .type1v2
        case .iommufd: nil
        }
    }
}
