import SysfsTestSupport
import Testing
@testable import VFIOSysfs

@Suite struct DeviceLifecycleTests {
    private func tree() throws -> SysfsTree {
        let tree = try SysfsTree()
        try tree.group(1)
        try tree.group(2)
        try tree.add(.init(address: "0000:03:00.0", group: 1))
        try tree.add(.init(address: "0000:03:00.1", group: 2))
        try tree.add(.init(address: "0000:04:00.0", group: 2))
        let device = "sys/devices/pci0000:00/0000:03:00.0/"
        try tree.write(device + "reset_method", "bus\n")
        try tree.write(device + "d3cold_allowed", "1\n")
        try tree.write(device + "power_state", "D0\n")
        try tree.write(device + "power/runtime_status", "active\n")
        try tree.write(device + "numa_node", "-1\n")
        try tree.write(device + "local_cpulist", "0-1\n")
        try tree.write(device + "current_link_speed", "2.5 GT/s PCIe\n")
        try tree.write(device + "current_link_width", "1\n")
        try tree.write(device + "max_link_speed", "8.0 GT/s PCIe\n")
        try tree.write(device + "max_link_width", "4\n")
        return tree
    }

    @Test func everyFieldComesFromItsFile() throws {
        let tree = try tree()
        let lifecycle = DeviceLifecycle.read(try #require(PCIAddress("0000:03:00.0")), reader: SysfsReader(root: tree.hostRoot))
        #expect(lifecycle.resetMethods?.map(\.name) == ["bus"])
        #expect(lifecycle.busResetAlsoResets.map(\.description) == ["0000:03:00.1"], "the other function on bus 03")
        #expect(lifecycle.d3coldAllowed == true)
        #expect(lifecycle.powerState == "D0")
        #expect(lifecycle.runtimeStatus == "active")
        #expect(lifecycle.numaNode == nil, "-1 means unknown")
        #expect(lifecycle.localCPUs == "0-1")
        #expect(lifecycle.link?.degraded == true)
        #expect(lifecycle.onlyBusResetBeyond([try #require(PCIAddress("0000:03:00.0"))]))
        #expect(!lifecycle.onlyBusResetBeyond([try #require(PCIAddress("0000:03:00.0")), try #require(PCIAddress("0000:03:00.1"))]))
    }

    @Test func aDeviceWithFLRAndNoFilesIsNotFlagged() throws {
        let tree = try tree()
        try tree.write("sys/devices/pci0000:00/0000:04:00.0/reset_method", "flr bus\n")
        let lifecycle = DeviceLifecycle.read(try #require(PCIAddress("0000:04:00.0")), reader: SysfsReader(root: tree.hostRoot))
        #expect(lifecycle.resetMethods?.first?.meaning.hasPrefix("Function Level Reset") == true)
        #expect(lifecycle.busResetAlsoResets.isEmpty, "alone on bus 04")
        #expect(!lifecycle.onlyBusResetBeyond([]))
        #expect(lifecycle.link == nil)
        #expect(lifecycle.powerState == nil)
    }

    @Test(arguments: [("8.0 GT/s PCIe", 16, "8.0 GT/s PCIe", 16, false), ("2.5 GT/s PCIe", 16, "8.0 GT/s PCIe", 16, true),
                      ("8.0 GT/s PCIe", 4, "8.0 GT/s PCIe", 16, true), ("Unknown", 0, "Unknown", 0, false)])
    func aLinkIsDegradedWhenSlowerOrNarrower(_ speed: String, _ width: Int, _ maxSpeed: String, _ maxWidth: Int,
                                             _ degraded: Bool) {
        #expect(DeviceLifecycle.Link(currentSpeed: speed, currentWidth: width, maxSpeed: maxSpeed, maxWidth: maxWidth)
            .degraded == degraded)
    }
}
