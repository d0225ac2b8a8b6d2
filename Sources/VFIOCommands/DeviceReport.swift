import LinuxSystem
import VFIOSysfs

/// A numeric ID with its name from `pci.ids`, as JSON `{"id": "0x8086", "name": "Intel Corporation"}`.
struct NamedID: Encodable, Sendable {
    let id: String
    let name: String?
}

/// One PCI device in a report.
struct DeviceReport: Encodable, Sendable {
    let address: PCIAddress
    let vendor: NamedID?
    let device: NamedID?
    let subsystemVendor: String?
    let subsystemDevice: String?
    let `class`: NamedID?
    let revision: String?
    let headerType: String?
    let multifunction: Bool
    let bridge: Bool
    let driver: DriverName?
    let driverOverride: String?
    let numaNode: Int?
    let iommuGroup: IOMMUGroupID?
    let vfioDevice: String?
    let physfn: PCIAddress?
    let virtfns: [PCIAddress]
    let sriovNumVFs: Int?
    let problems: JSONArray<AttributeProblem.JSON>
    /// Reset, power, placement and link: only with `list --wide` (and in `info`).
    let lifecycle: DeviceLifecycle.JSON?

    init(_ device: PCIDevice, names: PCIIDs?, lifecycle: DeviceLifecycle? = nil) {
        self.lifecycle = lifecycle.map(DeviceLifecycle.JSON.init)
        address = device.address
        vendor = device.vendorID.map { NamedID(id: "0x" + zeroPaddedHex($0, 4), name: names?.vendorName($0)) }
        if let vendorID = device.vendorID, let deviceID = device.deviceID {
            self.device = NamedID(id: "0x" + zeroPaddedHex(deviceID, 4), name: names?.deviceName(vendor: vendorID, device: deviceID))
        } else {
            self.device = device.deviceID.map { NamedID(id: "0x" + zeroPaddedHex($0, 4), name: nil) }
        }
        subsystemVendor = device.subsystemVendorID.map { "0x" + zeroPaddedHex($0, 4) }
        subsystemDevice = device.subsystemDeviceID.map { "0x" + zeroPaddedHex($0, 4) }
        self.class = device.classCode.map { NamedID(id: "0x" + zeroPaddedHex($0, 6), name: names?.className($0)) }
        revision = device.revision.map { "0x" + zeroPaddedHex($0, 2) }
        headerType = device.headerType.map { "0x" + zeroPaddedHex($0, 2) }
        multifunction = device.isMultifunction
        bridge = device.isBridge
        driver = device.driver
        driverOverride = device.driverOverride
        numaNode = device.numaNode
        iommuGroup = device.iommuGroup
        vfioDevice = device.vfioDevice
        physfn = device.physicalFunction
        virtfns = device.virtualFunctions
        sriovNumVFs = device.sriovNumVFs
        problems = JSONArray(values: device.problems)
    }

    /// `8086:10d3`, or `?` for what could not be read.
    var ids: String {
        (vendor.map { String($0.id.dropFirst(2)) } ?? "????") + ":" + (device.map { String($0.id.dropFirst(2)) } ?? "????")
    }
}

extension PCIIDs {
    /// Loads names for the vendors of the devices in these lists from the
    /// database under `root` (a support bundle carries its host's), else, for a
    /// tree captured without one, from this host's; nil when there is none.
    /// Only the vendor IDs are read: no device is copied.
    static func forDevices(_ lists: [[PCIDevice]], root: HostRoot) -> PCIIDs? {
        var vendorIDs = Set<UInt16>()
        for list in lists {
            for index in list.indices {
                if let vendorID = list[index].vendorID { vendorIDs.insert(vendorID) }
            }
        }
        let underRoot = defaultPaths.map(root.hostPath)
        return load(paths: underRoot + (underRoot == defaultPaths ? [] : defaultPaths), vendorIDs: vendorIDs)
    }
}
