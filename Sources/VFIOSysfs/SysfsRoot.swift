/// The root that sysfs paths are read under: `/` on a live host, or the top of
/// a tree captured from another host (`--sysfs-root`). The one owner of the
/// `sys/...` path spellings.
public struct SysfsRoot: Sendable, Hashable {
    private let root: RootDirectory

    public init(_ path: String = "/") {
        root = RootDirectory(path)
    }

    /// Absolute or relative path of the root, without a trailing slash (except `/`).
    public var path: String { root.path }

    func join(_ relative: String) -> String { root.join(relative) }

    /// `/sys/kernel/iommu_groups`
    public var iommuGroups: String { join("sys/kernel/iommu_groups") }
    /// `/sys/bus/pci/devices`
    public var pciDevices: String { join("sys/bus/pci/devices") }
    /// `/sys/bus/pci/drivers`
    public var pciDrivers: String { join("sys/bus/pci/drivers") }
    /// `/sys/module`
    public var modules: String { join("sys/module") }

    /// `/sys/kernel/iommu_groups/N`
    public func group(_ id: IOMMUGroupID) -> String { iommuGroups + "/" + id.description }
    /// `/sys/bus/pci/devices/DDDD:BB:DD.F`
    public func device(_ address: PCIAddress) -> String { pciDevices + "/" + address.description }
    /// `/sys/bus/pci/drivers/NAME`, for a name already checked by `DriverName`.
    public func driver(_ name: DriverName) -> String { pciDrivers + "/" + name.rawValue }
}
