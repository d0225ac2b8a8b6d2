import CVFIO

/// The flags of `struct vfio_group_status`.
public struct GroupStatus: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// No device in the group is bound to a kernel DMA-API driver and nobody else
    /// owns the group (always set once a container is attached).
    public static let viable = GroupStatus(rawValue: CVFIO_GROUP_FLAGS_VIABLE)
    /// A container or an iommufd is attached.
    public static let containerSet = GroupStatus(rawValue: CVFIO_GROUP_FLAGS_CONTAINER_SET)
}
