import Foundation
import LinuxSystem
import VFIOSysfs

/// Builds a sysfs-shaped tree in a temporary folder, with the same symlinks the
/// kernel makes, for tests of edge cases no guest topology produces.
public final class SysfsTree {
    public struct Device {
        public var address: String
        public var vendor = "0x1234"
        public var device = "0x11e8"
        public var classCode = "0x00ff00"
        public var driver: String?
        public var driverOverride: String? = nil
        public var headerType: UInt8 = 0
        public var group: Int?
        public var sriovNumVFs: Int? = nil
        public var physfn: String? = nil
        public var vfioDevice: String? = nil
        public var omit: Set<String> = []
        /// The bridge the device sits below; nil for the root bus.
        public var parent: String? = nil
        /// The bytes of `config`; nil writes the 64 bytes a non-root reader gets, with `headerType`.
        public var config: [UInt8]? = nil
        /// Writes `uevent` as the kernel prints it (`DRIVER=`, `PCI_CLASS=`,
        /// `PCI_ID=`, ...), from the same values as the attribute files.
        public var uevent = false

        public init(
            address: String, vendor: String = "0x1234", device: String = "0x11e8", classCode: String = "0x00ff00",
            driver: String? = nil, driverOverride: String? = nil, headerType: UInt8 = 0, group: Int? = nil,
            sriovNumVFs: Int? = nil, physfn: String? = nil, vfioDevice: String? = nil, omit: Set<String> = [],
            parent: String? = nil, config: [UInt8]? = nil, uevent: Bool = false
        ) {
            self.address = address
            self.vendor = vendor
            self.device = device
            self.classCode = classCode
            self.driver = driver
            self.driverOverride = driverOverride
            self.headerType = headerType
            self.group = group
            self.sriovNumVFs = sriovNumVFs
            self.physfn = physfn
            self.uevent = uevent
            self.vfioDevice = vfioDevice
            self.omit = omit
            self.parent = parent
            self.config = config
        }
    }

    public let root: URL
    private let files = FileManager.default
    /// Each added device's directory, `devices/pci0000:00/...`, relative to `sys/`.
    private var directories: [String: String] = [:]

    public init() throws {
        root = files.temporaryDirectory.appendingPathComponent("vfioadm-tree-\(UUID().uuidString)")
        try files.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? files.removeItem(at: root) }

    public var hostRoot: HostRoot { HostRoot(root.path) }

    public func write(_ relative: String, _ content: String) throws {
        let url = root.appendingPathComponent(relative)
        try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try content.write(to: url, atomically: false, encoding: .utf8)
    }

    public func link(_ relative: String, to target: String) throws {
        let url = root.appendingPathComponent(relative)
        try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try files.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    public func group(_ id: Int, type: String = "DMA", regions: [String] = []) throws {
        let base = "sys/kernel/iommu_groups/\(id)"
        try files.createDirectory(at: root.appendingPathComponent(base + "/devices"), withIntermediateDirectories: true)
        try write(base + "/type", type + "\n")
        try write(base + "/reserved_regions", regions.map { $0 + "\n" }.joined())
    }

    /// Adds a device under `sys/devices/pci0000:00/`, below its parent's directory when it has one.
    public func add(_ device: Device) throws {
        let parentDirectory = device.parent.map { directories[$0] ?? "devices/pci0000:00/\($0)" } ?? "devices/pci0000:00"
        let place = parentDirectory + "/" + device.address
        directories[device.address] = place
        let dir = "sys/" + place
        let up = String(repeating: "../", count: place.split(separator: "/").count)  // from dir back to sys/
        let attributes = [
            "vendor": device.vendor + "\n", "device": device.device + "\n",
            "subsystem_vendor": "0x1af4\n", "subsystem_device": "0x1100\n",
            "class": device.classCode + "\n", "revision": "0x10\n",
            "driver_override": (device.driverOverride ?? "(null)") + "\n",
            "numa_node": "-1\n",
        ]
        for (name, content) in attributes where !device.omit.contains(name) {
            try write(dir + "/" + name, content)
        }
        if device.uevent {
            try write(dir + "/uevent", Self.uevent(device))
        }
        if !device.omit.contains("config") {
            var config = device.config ?? [UInt8](repeating: 0, count: 64)
            if device.config == nil { config[0x0E] = device.headerType }
            let url = root.appendingPathComponent(dir + "/config")
            try Data(config).write(to: url)
        }
        try link("sys/bus/pci/devices/\(device.address)", to: "../../../" + place)
        if let driver = device.driver {
            try files.createDirectory(
                at: root.appendingPathComponent("sys/bus/pci/drivers/\(driver)"), withIntermediateDirectories: true)
            try link(dir + "/driver", to: up + "bus/pci/drivers/\(driver)")
        }
        if let group = device.group {
            try link(dir + "/iommu_group", to: up + "kernel/iommu_groups/\(group)")
            try link("sys/kernel/iommu_groups/\(group)/devices/\(device.address)", to: "../../../../" + place)
        }
        if let count = device.sriovNumVFs {
            try write(dir + "/sriov_numvfs", "\(count)\n")
        }
        if let physfn = device.physfn {
            let pfPlace = directories[physfn] ?? "devices/pci0000:00/\(physfn)"
            try link(dir + "/physfn", to: up + pfPlace)
            let pf = "sys/" + pfPlace
            let index = (try? files.contentsOfDirectory(atPath: root.appendingPathComponent(pf).path))?
                .filter { $0.hasPrefix("virtfn") }.count ?? 0
            let pfUp = String(repeating: "../", count: pfPlace.split(separator: "/").count)
            try link(pf + "/virtfn\(index)", to: pfUp + place)
        }
        if let vfio = device.vfioDevice {
            try write(dir + "/vfio-dev/\(vfio)/dev", "511:0\n")
        }
    }

    /// `uevent` as `dev_uevent` and `pci_uevent` print it: `%04X` fields, so a
    /// class below 0x100000 has five digits.
    private static func uevent(_ device: Device) -> String {
        func hex(_ text: String) -> UInt32 { UInt32(text.dropFirst(2), radix: 16) ?? 0 }
        func upper(_ value: UInt32, _ width: Int) -> String {
            let digits = String(value, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let (vendor, id, klass) = (hex(device.vendor), hex(device.device), hex(device.classCode))
        var lines = device.driver.map { ["DRIVER=\($0)"] } ?? []
        lines += [
            "PCI_CLASS=" + upper(klass, 4),
            "PCI_ID=" + upper(vendor, 4) + ":" + upper(id, 4),
            "PCI_SUBSYS_ID=1AF4:1100",
            "PCI_SLOT_NAME=" + device.address,
            "MODALIAS=pci:v" + upper(vendor, 8) + "d" + upper(id, 8) + "sv00001AF4sd00001100bc"
                + upper(klass >> 16, 2) + "sc" + upper(klass >> 8 & 0xFF, 2) + "i" + String(format: "%02x", klass & 0xFF),
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
