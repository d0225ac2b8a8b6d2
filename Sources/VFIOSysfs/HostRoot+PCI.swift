import LinuxSystem

/// The PCI bus and its IOMMU groups in sysfs: where a group, a device and a
/// driver are read and written.
extension HostRoot {
    /// `/sys/kernel/iommu_groups`
    public var iommuGroups: String { sys + "/kernel/iommu_groups" }
    /// `/sys/bus/pci/devices`
    public var pciDevices: String { sys + "/bus/pci/devices" }
    /// `/sys/bus/pci/drivers`
    public var pciDrivers: String { sys + "/bus/pci/drivers" }
    /// `/sys/bus/pci/drivers_probe`
    public var driversProbe: String { sys + "/bus/pci/drivers_probe" }

    /// `/sys/kernel/iommu_groups/N`
    public func group(_ id: IOMMUGroupID) -> String { iommuGroups + "/" + id.description }
    /// `/sys/bus/pci/devices/DDDD:BB:DD.F`
    public func device(_ address: PCIAddress) -> String { pciDevices + "/" + address.description }
    /// `/sys/bus/pci/drivers/NAME`, for a name already checked by `DriverName`.
    public func driver(_ name: DriverName) -> String { pciDrivers + "/" + name.rawValue }
}
