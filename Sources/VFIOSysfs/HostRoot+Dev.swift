import LinuxSystem

/// The device nodes vfioadm opens or hands over, under the root of the
/// device nodes: VFIO's container, groups and cdevs, iommufd, and block devices.
extension HostRoot {
    /// `/dev/vfio/vfio`, the legacy container node.
    public var container: String { dev + "/vfio/vfio" }
    /// `/dev/iommu`
    public var iommu: String { dev + "/iommu" }
    /// `/dev/vfio`, the directory of the group nodes and the container.
    public var vfio: String { dev + "/vfio" }
    /// `/dev/vfio/devices`, the directory of VFIO device cdevs.
    public var vfioDevices: String { dev + "/vfio/devices" }

    /// `/dev/vfio/N`, or `/dev/vfio/noiommu-N` for a no-IOMMU group.
    public func groupNode(_ id: IOMMUGroupID, noIOMMU: Bool = false) -> String {
        vfio + "/" + (noIOMMU ? "noiommu-" : "") + id.description
    }

    /// The group's node that exists: `/dev/vfio/N`, else `/dev/vfio/noiommu-N`
    /// (a no-IOMMU group), else nil (no device of the group is bound to a VFIO driver).
    ///
    /// The corresponding files are `/dev/vfio/N` and `/dev/vfio/noiommu-N`.
    public func existingGroupNode(_ id: IOMMUGroupID) -> (path: String, noIOMMU: Bool)? {
        if FileSystem.exists(groupNode(id)) { return (groupNode(id), false) }
        if FileSystem.exists(groupNode(id, noIOMMU: true)) { return (groupNode(id, noIOMMU: true), true) }
        return nil
    }

    /// `/dev/NAME` of a block device, for a name taken from sysfs (`loop0`).
    public func blockNode(_ name: String) -> String { dev + "/" + name }

    /// `/dev/vfio/devices/vfioX`, for a name taken from sysfs `vfio-dev/`.
    public func cdev(_ name: String) -> String { vfioDevices + "/" + name }
}
