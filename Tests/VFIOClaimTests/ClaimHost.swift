import Foundation
import SysfsTestSupport
@testable import VFIOClaim
import VFIOCore
import VFIOSysfs

/// A hand-built host for claim tests.
/// Group 1: a lone unbound edu. Group 2: a PCIe-to-PCI bridge, an unbound edu
/// and an NVMe on nvme. Group 3: an xHCI with a firmware direct region.
/// Group 4: an e1000e NIC. Group 5: a device on pci-stub and one on vfio-pci.
struct ClaimHost {
    let tree: SysfsTree
    let kernel: SimulatedKernel

    static let native = ["0000:03:02.0": "nvme", "0000:04:00.0": "e1000e", "0000:00:14.0": "xhci_hcd"]

    init(failures: [Int: Int32] = [:], crashAfter: Int? = nil, nvmeOverride: String? = nil) throws {
        tree = try SysfsTree()
        try tree.group(1)
        try tree.group(2)
        try tree.group(3, regions: ["0x00000000bd000000 0x00000000bdffffff direct"])
        try tree.group(4)
        try tree.group(5)
        try tree.add(.init(address: "0000:01:00.0", group: 1))
        try tree.add(.init(address: "0000:02:00.0", vendor: "0x1b36", device: "0x000e", classCode: "0x060400",
                           headerType: 1, group: 2))
        try tree.add(.init(address: "0000:03:01.0", group: 2))
        try tree.add(.init(address: "0000:03:02.0", vendor: "0x1b36", device: "0x0010", classCode: "0x010802",
                           driver: "nvme", driverOverride: nvmeOverride, group: 2))
        try tree.add(.init(address: "0000:00:14.0", classCode: "0x0c0330", driver: "xhci_hcd", group: 3))
        try tree.add(.init(address: "0000:04:00.0", vendor: "0x8086", device: "0x10d3", classCode: "0x020000",
                           driver: "e1000e", group: 4))
        try tree.add(.init(address: "0000:05:00.0", driver: "pci-stub", group: 5))
        try tree.add(.init(address: "0000:05:00.1", driver: "vfio-pci", driverOverride: "vfio-pci", group: 5,
                           vfioDevice: "vfio7"))
        try tree.addDriver("vfio-pci")
        try tree.write("proc/self/mountinfo", "22 1 0:21 / / rw - 9p root rw\n")
        kernel = SimulatedKernel(tree, native: Self.native, failures: failures, crashAfter: crashAfter)
    }

    var paths: HostPaths {
        HostPaths(root: tree.hostRoot, state: tree.root.path + "/run/vfioadm",
                  config: tree.root.path + "/etc/vfioadm")
    }

    var reader: SysfsReader { SysfsReader(root: tree.hostRoot) }

    func claimer(_ kernel: SimulatedKernel? = nil, viability: any GroupViability = StubViability()) -> Claimer {
        Claimer(paths: paths, writer: kernel ?? self.kernel, scan: HazardScan(paths: paths, ipv4Addresses: { [:] }),
                viability: viability)
    }

    func releaser(_ kernel: SimulatedKernel? = nil) -> Releaser {
        Releaser(paths: paths, writer: kernel ?? self.kernel)
    }

    /// What a claim of the group would be refused for, with `ipv4` as the interfaces' addresses.
    func hazards(_ group: UInt32, ipv4: [String: [String]] = [:]) throws -> [Hazard] {
        let id = Self.group(group)
        let plan = try ClaimPlanner(paths: paths, choice: .named(DriverChoice.vfioPCI)).plan(reader.group(id))
        return HazardScan(paths: paths, ipv4Addresses: { ipv4 }).hazards(reader.group(id), plan: plan)
    }

    /// Every device's driver and override, to compare states.
    func bindings() -> [String: String] {
        var state: [String: String] = [:]
        for address in (try? reader.deviceAddresses().get()) ?? [] {
            let device = reader.device(address)
            state[address.description] = "\(device.driver?.rawValue ?? "-") \(device.driverOverride ?? "(null)")"
        }
        return state
    }

    var journalExists: Bool { FileManager.default.fileExists(atPath: paths.journal(IOMMUGroupID(rawValue: 2))) }

    static func group(_ id: UInt32) -> IOMMUGroupID { IOMMUGroupID(rawValue: id) }
}
