import Glibc
import LinuxSystem
import SysfsTestSupport
import Testing
import VFIOHost
import VFIOSysfs
@testable import VFIOCore

@Suite("Device cdev lookup and mode probing")
struct DeviceCdevTests {
    let address = PCIAddress(domain: 0, bus: 0, device: 3, function: 0)

    /// The device number of /dev/null, a character device every host has, to
    /// stand in for /dev/vfio/devices/vfioX.
    func nullNumber() throws -> DeviceNumber {
        var info = stat()
        try #require(stat("/dev/null", &info) == 0)
        return DeviceNumber(rdev: UInt64(info.st_rdev))
    }

    func tree(dev number: String?, node: String?) throws -> TempTree {
        let tree = try TempTree()
        try tree.directory("sys/bus/pci/devices/0000:00:03.0/vfio-dev/vfio0")
        if let number { try tree.file("sys/bus/pci/devices/0000:00:03.0/vfio-dev/vfio0/dev", number + "\n") }
        if let node { try tree.link("dev/vfio/devices/vfio0", to: node) }
        return tree
    }

    @Test func findsAndChecksTheNode() throws {
        let number = try nullNumber()
        let tree = try tree(dev: number.description, node: "/dev/null")
        let address = try #require(address)
        let cdev = try #require(try DeviceCdev.locate(address, root: HostRoot(tree.root)))
        #expect(cdev.name == "vfio0")
        #expect(cdev.path == tree.path("dev/vfio/devices/vfio0"))
        #expect(cdev.number == number)
    }

    @Test func mismatchedNumberIsRefused() throws {
        let number = try nullNumber()
        let tree = try tree(dev: "\(number.major):\(number.minor + 1)", node: "/dev/null")
        let address = try #require(address)
        let error = try #require(throws: VFIOError.self) {
            try DeviceCdev.locate(address, root: HostRoot(tree.root))
        }
        #expect(error.errno.rawValue == ENODEV)
        #expect(error.reason?.contains("but sysfs says") == true)
    }

    @Test func regularFileIsRefused() throws {
        let tree = try tree(dev: "511:0", node: nil)
        try tree.file("dev/vfio/devices/vfio0", "")
        let address = try #require(address)
        let error = try #require(throws: VFIOError.self) {
            try DeviceCdev.locate(address, root: HostRoot(tree.root))
        }
        #expect(error.reason?.contains("not a character device") == true)
    }

    @Test func missingNodeIsAnError() throws {
        let tree = try tree(dev: "511:0", node: nil)
        let address = try #require(address)
        #expect(throws: VFIOError(.stat, path: tree.path("dev/vfio/devices/vfio0"), errno: Errno(rawValue: ENOENT))) {
            try DeviceCdev.locate(address, root: HostRoot(tree.root))
        }
    }

    @Test func noDevAttributeMeansNoCdev() throws {
        let tree = try tree(dev: nil, node: "/dev/null")
        let address = try #require(address)
        #expect(try DeviceCdev.locate(address, root: HostRoot(tree.root)) == nil)
        let empty = try TempTree()
        #expect(try DeviceCdev.locate(address, root: HostRoot(empty.root)) == nil)
    }

    @Test func malformedDevAttribute() throws {
        let tree = try tree(dev: "five", node: "/dev/null")
        let address = try #require(address)
        #expect(throws: VFIOError.self) {
            try DeviceCdev.locate(address, root: HostRoot(tree.root))
        }
    }

    @Test(arguments: ["511:3", "0:0", "4095:1048575"])
    func deviceNumbersRoundTrip(_ text: String) throws {
        let number = try #require(DeviceNumber(text))
        #expect(number.description == text)
        // glibc's dev_t: minor bits 0-7 and 20-43, major bits 8-19 and 44-63.
        let major = UInt64(number.major)
        let minor = UInt64(number.minor)
        let rdev = ((major & 0xfff) << 8) | ((major & ~0xfff) << 32) | (minor & 0xff) | ((minor & ~0xff) << 12)
        #expect(DeviceNumber(rdev: rdev) == number)
    }

    @Test func knownDeviceNumbers() {
        #expect(DeviceNumber(rdev: 0x103) == DeviceNumber(major: 1, minor: 3))
        #expect(DeviceNumber(rdev: 0x1FF03) == DeviceNumber(major: 511, minor: 3))
        #expect(DeviceNumber(rdev: 0x0010_0000) == DeviceNumber(major: 0, minor: 256))
    }

    @Test(arguments: ["", "1", "1:", ":1", "1:2:3", "a:b", "-1:2", "1: 2"])
    func malformedDeviceNumbers(_ text: String) {
        #expect(DeviceNumber(text) == nil)
    }

    @Test func probeWithoutNodesExplainsEveryMode() throws {
        let tree = try TempTree()
        let probe = ModeProbe(root: HostRoot(tree.root))
        let address = try #require(address)
        let modes = probe.availability(device: address)
        #expect(modes.map(\.mode) == Mode.allCases)
        #expect(modes.allSatisfy { !$0.available })
        #expect(modes[0].reason.contains("open on \(tree.path("dev/vfio/vfio"))"))
        #expect(modes[2].reason.contains(tree.path("dev/iommu")))
        #expect(modes[3].reason.contains("does not exist"))
    }

    @Test func probeSeesADeviceWithoutCdev() throws {
        let tree = try TempTree()
        try tree.file("dev/iommu", "")
        try tree.directory("sys/bus/pci/devices/0000:00:03.0")
        let probe = ModeProbe(root: HostRoot(tree.root))
        let address = try #require(address)
        let mode = probe.availability(of: .iommufd, device: address)
        #expect(!mode.available)
        #expect(mode.reason.contains("vfio-dev/vfioX/dev does not exist"))
    }

    @Test func probeSeesACdev() throws {
        let number = try nullNumber()
        let tree = try tree(dev: number.description, node: "/dev/null")
        try tree.file("dev/iommu", "")
        let probe = ModeProbe(root: HostRoot(tree.root))
        let address = try #require(address)
        #expect(probe.availability(of: .iommufd, device: address).available)
    }

    @Test func groupIDComesFromTheSysfsLink() throws {
        let tree = try TempTree()
        try tree.link("sys/bus/pci/devices/0000:00:03.0/iommu_group", to: "../../../../kernel/iommu_groups/42")
        let address = try #require(address)
        #expect(try DMASession.groupID(of: address, root: HostRoot(tree.root)) == IOMMUGroupID(rawValue: 42))
        let empty = try TempTree()
        #expect(throws: VFIOError.self) { try DMASession.groupID(of: address, root: HostRoot(empty.root)) }
    }

    @Test func noIOMMUGroupIsRefusedBeforeOpening() throws {
        let tree = try TempTree()
        try tree.link("sys/bus/pci/devices/0000:00:03.0/iommu_group", to: "../../../../kernel/iommu_groups/5")
        try tree.file("dev/vfio/noiommu-5", "")
        let address = try #require(address)
        let error = try #require(throws: VFIOError.self) {
            try DMASession.open(address, mode: .type1v2, root: HostRoot(tree.root))
        }
        #expect(error.errno.rawValue == EOPNOTSUPP)
        #expect(error.reason?.contains("no-IOMMU group") == true)
    }
}
