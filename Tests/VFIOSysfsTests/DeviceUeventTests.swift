import Testing
@testable import VFIOSysfs
import SysfsTestSupport

@Suite struct DeviceUeventTests {
    private func parse(_ text: String) -> DeviceUevent? {
        var text = text
        return text.withUTF8 { DeviceUevent($0) }
    }

    /// As a 6.12 guest prints them (`%04X`: five digits for class 0x020000).
    @Test func parsesTheKernelsLines() throws {
        let bound = try #require(parse("""
            DRIVER=e1000e
            PCI_CLASS=20000
            PCI_ID=8086:10D3
            PCI_SUBSYS_ID=8086:0000
            PCI_SLOT_NAME=0000:00:04.0
            MODALIAS=pci:v00008086d000010D3sv00008086sd00000000bc02sc00i00

            """))
        #expect(bound == DeviceUevent(vendorID: 0x8086, deviceID: 0x10d3, subsystemVendorID: 0x8086,
                                     subsystemDeviceID: 0, classCode: 0x020000, driver: "e1000e"))
        let unbound = try #require(parse("PCI_CLASS=C0330\nPCI_ID=1B36:000D\nPCI_SUBSYS_ID=1AF4:1100\nPCI_SLOT_NAME=0000:00:05.0\n"))
        #expect(unbound == DeviceUevent(vendorID: 0x1b36, deviceID: 0x000d, subsystemVendorID: 0x1af4,
                                       subsystemDeviceID: 0x1100, classCode: 0x0c0330, driver: nil))
    }

    @Test(arguments: [
        "PCI_ID=8086:10D3\nPCI_SUBSYS_ID=8086:0000\n",  // no class
        "PCI_CLASS=20000\nPCI_SUBSYS_ID=8086:0000\n",  // no ID
        "PCI_CLASS=20000\nPCI_ID=8086:10D3\n",  // no subsystem
        "PCI_CLASS=20000\nPCI_ID=8086\nPCI_SUBSYS_ID=8086:0000\n",  // ID without a colon
        "PCI_CLASS=20000\nPCI_ID=8086:1OD3\nPCI_SUBSYS_ID=8086:0000\n",  // letter O
        "PCI_CLASS=1000000\nPCI_ID=8086:10D3\nPCI_SUBSYS_ID=8086:0000\n",  // class wider than 24 bits
        "PCI_CLASS=20000\nPCI_ID=18086:10D3\nPCI_SUBSYS_ID=8086:0000\n",  // vendor wider than 16 bits
        "",
    ])
    func rejectsWhatTheKernelDoesNotPrint(_ text: String) {
        #expect(parse(text) == nil)
    }

    /// With `uevent` the five ID files and the `driver` link are not read: a
    /// device whose ID files are gone reads without problems.
    @Test func readsTheIdentityFromUeventAlone() throws {
        let tree = try SysfsTree()
        try tree.group(1)
        try tree.add(.init(address: "0000:00:04.0", vendor: "0x8086", device: "0x10d3", classCode: "0x020000",
                           driver: "e1000e", group: 1,
                           omit: ["vendor", "device", "subsystem_vendor", "subsystem_device", "class"], uevent: true))
        let device = SysfsReader(root: tree.hostRoot).device(try #require(PCIAddress("00:04.0")))
        #expect(device.vendorID == 0x8086)
        #expect(device.deviceID == 0x10d3)
        #expect(device.subsystemVendorID == 0x1af4)
        #expect(device.subsystemDeviceID == 0x1100)
        #expect(device.classCode == 0x020000)
        #expect(device.driver?.rawValue == "e1000e")
        #expect(device.problems.isEmpty)
    }

    /// The same device read through `uevent` and through the attribute files.
    @Test(arguments: [nil, "vfio-pci", "nvme"] as [String?])
    func ueventAndAttributesAgree(_ driver: String?) throws {
        let tree = try SysfsTree()
        try tree.group(1)
        try tree.add(.init(address: "0000:00:04.0", vendor: "0x1b36", device: "0x0010", classCode: "0x010802",
                           driver: driver, group: 1, uevent: true))
        try tree.add(.init(address: "0000:00:05.0", vendor: "0x1b36", device: "0x0010", classCode: "0x010802",
                           driver: driver, group: 1))
        let reader = SysfsReader(root: tree.hostRoot)
        let viaUevent = reader.device(try #require(PCIAddress("00:04.0")))
        let viaFiles = reader.device(try #require(PCIAddress("00:05.0")))
        #expect(viaUevent.vendorID == viaFiles.vendorID)
        #expect(viaUevent.deviceID == viaFiles.deviceID)
        #expect(viaUevent.subsystemVendorID == viaFiles.subsystemVendorID)
        #expect(viaUevent.subsystemDeviceID == viaFiles.subsystemDeviceID)
        #expect(viaUevent.classCode == viaFiles.classCode)
        #expect(viaUevent.driver == viaFiles.driver)
        #expect(viaUevent.problems.isEmpty && viaFiles.problems.isEmpty)
    }

    /// A `uevent` without the PCI lines (not a PCI device's, or cut short) is
    /// ignored and the files are read, reporting what is missing as before.
    @Test func fallsBackToTheFilesWhenUeventIsUnusable() throws {
        let tree = try SysfsTree()
        try tree.group(1)
        try tree.add(.init(address: "0000:00:04.0", driver: "nvme", group: 1, omit: ["class"]))
        try tree.write("sys/devices/pci0000:00/0000:00:04.0/uevent", "DRIVER=nvme\nPCI_SLOT_NAME=0000:00:04.0\n")
        let device = SysfsReader(root: tree.hostRoot).device(try #require(PCIAddress("00:04.0")))
        #expect(device.vendorID == 0x1234)
        #expect(device.driver?.rawValue == "nvme")
        #expect(device.classCode == nil)
        #expect(device.problems.map { $0.path.hasSuffix("/class") } == [true])
    }
}
