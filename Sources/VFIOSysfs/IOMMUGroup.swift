/// An IOMMU group as `/sys/kernel/iommu_groups/N` describes it.
public struct IOMMUGroup: Hashable, Sendable {
    /// A group member that is not a PCI function (e.g. a platform device).
    public struct OtherMember: Hashable, Sendable {
        public let name: String
        public var driver: DriverName?
    }

    public let id: IOMMUGroupID
    /// `type`: the default domain type (`DMA`, `DMA-FQ`, `identity`, ...); nil if unreadable.
    public var type: String?
    public var reservedRegions: [ReservedRegion]
    /// PCI members in address order.
    public var devices: [PCIDevice]
    public var otherMembers: [OtherMember]
    public var problems: [AttributeProblem]

    public init(id: IOMMUGroupID) {
        self.id = id
        reservedRegions = []
        devices = []
        otherMembers = []
        problems = []
    }

    /// The regions that demand a 1:1 mapping and make the group unassignable.
    public var directRegions: [ReservedRegion] {
        reservedRegions.filter { $0.kind == .direct }
    }
}

/// What sysfs shows of the host's groups and PCI devices.
public struct HostSnapshot: Sendable {
    public var groups: [IOMMUGroup]
    /// PCI devices that belong to no IOMMU group.
    public var ungroupedDevices: [PCIDevice]
    /// Problems reading the directories themselves.
    public var problems: [AttributeProblem]

    /// No group at all: the IOMMU is absent or off.
    public var hasIOMMU: Bool { !groups.isEmpty }
}
