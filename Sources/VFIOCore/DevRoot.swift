import LinuxSystem
import VFIOSysfs

/// The root that device nodes are opened under: `/` on a live host, another
/// directory in tests. The one owner of the `dev/...` path spellings.
public struct DevRoot: Sendable, Hashable {
    private let root: RootDirectory

    public init(_ path: String = "/") {
        root = RootDirectory(path)
    }

    /// Path of the root, without a trailing slash (except `/`).
    public var path: String { root.path }

    func join(_ relative: String) -> String { root.join(relative) }

    /// `/dev/vfio/vfio`, the legacy container node.
    public var container: String { join("dev/vfio/vfio") }
    /// `/dev/iommu`
    public var iommu: String { join("dev/iommu") }
    /// `/dev/vfio`, the directory of the group nodes and the container.
    public var vfio: String { join("dev/vfio") }
    /// `/dev/vfio/devices`, the directory of VFIO device cdevs.
    public var vfioDevices: String { join("dev/vfio/devices") }

    /// `/dev/vfio/N`, or `/dev/vfio/noiommu-N` for a no-IOMMU group.
    public func group(_ id: IOMMUGroupID, noIOMMU: Bool = false) -> String {
        join("dev/vfio/" + (noIOMMU ? "noiommu-" : "") + id.description)
    }

    /// The group's node that exists: `/dev/vfio/N`, else `/dev/vfio/noiommu-N`
    /// (a no-IOMMU group), else nil (no device of the group is bound to a VFIO driver).
    ///
    /// The corresponding files are `/dev/vfio/N` and `/dev/vfio/noiommu-N`.
    public func existingGroupNode(_ id: IOMMUGroupID) -> (path: String, noIOMMU: Bool)? {
        if FileSystem.exists(group(id)) { return (group(id), false) }
        if FileSystem.exists(group(id, noIOMMU: true)) { return (group(id, noIOMMU: true), true) }
        return nil
    }

    /// `/dev/NAME` of a block device, for a name taken from sysfs (`loop0`).
    public func block(_ name: String) -> String { join("dev/" + name) }

    /// `/dev/vfio/devices/vfioX`, for a name taken from sysfs `vfio-dev/`.
    public func cdev(_ name: String) -> String { vfioDevices + "/" + name }
}
