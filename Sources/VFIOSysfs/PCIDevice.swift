/// A PCI function as sysfs describes it under `/sys/bus/pci/devices/DDDD:BB:DD.F`.
/// Attributes that could not be read are nil and listed in `problems`.
public struct PCIDevice: Hashable, Sendable {
    public let address: PCIAddress
    public var vendorID: UInt16?
    public var deviceID: UInt16?
    public var subsystemVendorID: UInt16?
    public var subsystemDeviceID: UInt16?
    /// The 24-bit class code: base class, subclass, programming interface.
    public var classCode: UInt32?
    public var revision: UInt8?
    /// The bound driver (`driver` link), nil when unbound.
    public var driver: DriverName?
    /// `driver_override`, nil when it reads `(null)`.
    public var driverOverride: String?
    /// `numa_node`; nil on kernels without NUMA or when it reads -1.
    public var numaNode: Int?
    /// The group (`iommu_group` link), nil when the device has none.
    public var iommuGroup: IOMMUGroupID?
    /// The VFIO device name under `vfio-dev/` (`vfio3`), present while a VFIO driver holds it.
    public var vfioDevice: String?
    /// The SR-IOV physical function of a VF (`physfn` link).
    public var physicalFunction: PCIAddress?
    /// Enabled VFs of a PF (`virtfnN` links).
    public var virtualFunctions: [PCIAddress]
    /// `sriov_numvfs`, nil when the device is not SR-IOV capable.
    public var sriovNumVFs: Int?
    /// Byte 0x0E of `config`: the header type with the multifunction bit.
    public var headerType: UInt8?
    public var problems: [AttributeProblem]

    public init(address: PCIAddress) {
        self.address = address
        virtualFunctions = []
        problems = []
    }

    /// Header type 1 (PCI-to-PCI bridge) or 2 (CardBus bridge).
    public var isBridge: Bool {
        if let headerType { return headerType & 0x7F != 0 }
        return classCode.map { $0 >> 8 == 0x0604 } ?? false
    }

    public var isMultifunction: Bool { (headerType ?? 0) & 0x80 != 0 }

    /// Whether binding to a driver of this name would leave the group viable.
    public var holdsKernelDMA: Bool {
        guard let driver else { return false }
        return !driver.managesDMA
    }
}
