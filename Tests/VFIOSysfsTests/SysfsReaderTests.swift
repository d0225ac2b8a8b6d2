import Testing
@testable import VFIOSysfs
import SysfsTestSupport

@Suite struct SysfsReaderTests {
    @Test func readsEveryAttributeOfADevice() throws {
        let tree = try SysfsTree()
        try tree.group(3)
        try tree.add(.init(address: "0000:01:00.0", driver: "vfio-pci", driverOverride: "vfio-pci",
                           headerType: 0x80, group: 3, sriovNumVFs: 0, vfioDevice: "vfio2"))
        let device = SysfsReader(root: tree.hostRoot).device(try #require(PCIAddress("01:00.0")))
        #expect(device.vendorID == 0x1234)
        #expect(device.deviceID == 0x11e8)
        #expect(device.subsystemVendorID == 0x1af4)
        #expect(device.subsystemDeviceID == 0x1100)
        #expect(device.classCode == 0x00ff00)
        #expect(device.revision == 0x10)
        #expect(device.driver?.rawValue == "vfio-pci")
        #expect(device.driverOverride == "vfio-pci")
        #expect(device.numaNode == nil)
        #expect(device.iommuGroup == IOMMUGroupID(rawValue: 3))
        #expect(device.vfioDevice == "vfio2")
        #expect(device.sriovNumVFs == 0)
        #expect(device.isMultifunction)
        #expect(!device.isBridge)
        #expect(device.problems.isEmpty)
    }

    @Test func reportsMissingAttributesWithoutFailing() throws {
        let tree = try SysfsTree()
        try tree.group(0)
        try tree.add(.init(address: "0000:00:02.0", group: 0, omit: ["vendor", "config", "driver_override"]))
        let device = SysfsReader(root: tree.hostRoot).device(try #require(PCIAddress("00:02.0")))
        #expect(device.vendorID == nil)
        #expect(device.deviceID == 0x11e8)
        #expect(device.headerType == nil)
        let failed = Set(device.problems.map { $0.path.split(separator: "/").last.map(String.init) ?? "" })
        #expect(failed == ["vendor", "config", "driver_override"])
        #expect(device.problems.allSatisfy { $0.errnoName == "ENOENT" })
    }

    @Test func reportsMalformedAttributes() throws {
        let tree = try SysfsTree()
        try tree.add(.init(address: "0000:00:03.0", vendor: "zz"))
        let device = SysfsReader(root: tree.hostRoot).device(try #require(PCIAddress("00:03.0")))
        #expect(device.vendorID == nil)
        let problem = try #require(device.problems.first)
        #expect(problem.path.hasSuffix("0000:00:03.0/vendor"))
        #expect(problem.reason.contains("\"zz\""))
    }

    @Test func followsSRIOVLinks() throws {
        let tree = try SysfsTree()
        try tree.group(10)
        try tree.group(11)
        try tree.group(12)
        try tree.add(.init(address: "0000:03:00.0", driver: "ixgbe", group: 10, sriovNumVFs: 2))
        try tree.add(.init(address: "0000:03:10.0", driver: "ixgbevf", group: 11, physfn: "0000:03:00.0"))
        try tree.add(.init(address: "0000:03:10.2", group: 12, physfn: "0000:03:00.0"))
        let reader = SysfsReader(root: tree.hostRoot)
        let pf = reader.device(try #require(PCIAddress("03:00.0")))
        #expect(pf.virtualFunctions.map(\.description) == ["0000:03:10.0", "0000:03:10.2"])
        let vf = reader.device(try #require(PCIAddress("03:10.2")))
        #expect(vf.physicalFunction?.description == "0000:03:00.0")
        #expect(vf.driver == nil)
    }

    @Test func snapshotsGroupsAndUngroupedDevices() throws {
        let tree = try SysfsTree()
        try tree.group(1, regions: ["0x00000000fee00000 0x00000000feefffff msi"])
        try tree.group(2, type: "identity")
        for slot in 0..<32 {
            try tree.add(.init(address: "0000:00:" + String(slot, radix: 16).leftPadded(2) + ".0", group: 1))
        }
        try tree.add(.init(address: "0000:05:00.0", driver: "nvme", group: 2))
        try tree.add(.init(address: "0000:06:00.0"))
        let snapshot = SysfsReader(root: tree.hostRoot).snapshot()
        #expect(snapshot.hasIOMMU)
        #expect(snapshot.groups.map(\.id.rawValue) == [1, 2])
        #expect(snapshot.groups[0].devices.count == 32)
        #expect(snapshot.groups[0].devices.map(\.address) == snapshot.groups[0].devices.map(\.address).sorted())
        #expect(snapshot.groups[0].reservedRegions.map(\.kind) == [.msi])
        #expect(snapshot.groups[1].type == "identity")
        #expect(snapshot.groups[1].devices.first?.driver?.rawValue == "nvme")
        #expect(snapshot.ungroupedDevices.map(\.address.description) == ["0000:06:00.0"])
        #expect(snapshot.problems.isEmpty)
    }

    /// `snapshot` opens a group's files from the open `iommu_groups` and a
    /// device from the open `devices`; `group` and `device` open each path
    /// whole. Both must read the same things and name the same full paths.
    @Test func snapshotReadsWhatSingleReadsRead() throws {
        let tree = try SysfsTree()
        try tree.group(4)
        try tree.write("sys/devices/platform/dprc.1/.keep", "")
        try tree.link("sys/kernel/iommu_groups/4/devices/dprc.1", to: "../../../../devices/platform/dprc.1")
        try tree.link("sys/devices/platform/dprc.1/driver", to: "../../../bus/platform/drivers/fsl_mc_dprc")
        try tree.add(.init(address: "0000:00:03.0", driver: "vfio-pci", group: 4, omit: ["numa_node"]))
        try tree.write("sys/kernel/iommu_groups/5/reserved_regions", "")
        try tree.add(.init(address: "0000:00:04.0", driver: "nvme", group: 5, omit: ["class", "config"]))
        let reader = SysfsReader(root: tree.hostRoot)
        let snapshot = reader.snapshot()
        #expect(snapshot.groups.map(\.id.rawValue) == [4, 5])
        for group in snapshot.groups {
            let single = reader.group(group.id)
            #expect(group.type == single.type)
            #expect(group.otherMembers.map(\.name) == single.otherMembers.map(\.name))
            #expect(group.otherMembers.map(\.driver) == single.otherMembers.map(\.driver))
            #expect(group.problems.map(\.path) == single.problems.map(\.path))
            #expect(group.problems.map(\.errno) == single.problems.map(\.errno))
            #expect(group.devices.map(\.problems.count) == single.devices.map(\.problems.count))
            #expect(group.devices.flatMap(\.problems).map(\.path) == single.devices.flatMap(\.problems).map(\.path))
        }
        let five = snapshot.groups[1]
        #expect(five.type == nil)
        let root = tree.root.path + "/sys/kernel/iommu_groups/5/"
        #expect(five.problems.map(\.path) == [root + "type"])
        #expect(five.devices.first?.problems.map(\.path).sorted() == [
            tree.root.path + "/sys/bus/pci/devices/0000:00:04.0/class",
            tree.root.path + "/sys/bus/pci/devices/0000:00:04.0/config",
        ])
        #expect(snapshot.groups[0].otherMembers.first?.driver?.rawValue == "fsl_mc_dprc")
    }

    @Test func aHostWithoutGroupsHasNoIOMMU() throws {
        let tree = try SysfsTree()
        try tree.add(.init(address: "0000:00:02.0", driver: "e1000e"))
        let snapshot = SysfsReader(root: tree.hostRoot).snapshot()
        #expect(!snapshot.hasIOMMU)
        #expect(snapshot.ungroupedDevices.count == 1)
    }

    @Test func keepsNonPCIMembersForTheVerdict() throws {
        let tree = try SysfsTree()
        try tree.group(4)
        try tree.write("sys/devices/platform/fsl-mc0/driver/.keep", "")
        try tree.link("sys/kernel/iommu_groups/4/devices/dprc.1", to: "../../../../devices/platform/dprc.1")
        try tree.link("sys/devices/platform/dprc.1/driver", to: "../../../bus/platform/drivers/fsl_mc_dprc")
        let group = SysfsReader(root: tree.hostRoot).group(IOMMUGroupID(rawValue: 4))
        #expect(group.otherMembers.map(\.name) == ["dprc.1"])
        #expect(group.otherMembers.first?.driver?.rawValue == "fsl_mc_dprc")
        #expect(Verdict.of(group).status == .notViable)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
