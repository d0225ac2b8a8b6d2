import Foundation
import LinuxSystem
import Testing
@testable import VFIOSysfs

/// The model and verdicts on sysfs trees captured from the test guest's real
/// kernels (Scripts/capture-fixtures), checked against the topology's known
/// layout (Scripts/topologies/devices.inc).
@Suite struct CapturedFixtureTests {
    static func snapshot(_ topology: String) -> HostSnapshot {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(topology)").path
        return SysfsReader(root: HostRoot(path)).snapshot()
    }

    private func group(holding address: String, in snapshot: HostSnapshot) throws -> IOMMUGroup {
        try #require(snapshot.groups.first { $0.devices.contains { $0.address.description == address } },
                     "no group holds \(address)")
    }

    private func members(_ group: IOMMUGroup) -> [String] { group.devices.map(\.address.description) }

    @Test func theBridgeGroupMixesAFreeEduAndTheNVMe() throws {
        let snapshot = Self.snapshot("intel")
        let mixed = try group(holding: "0000:03:02.0", in: snapshot)
        #expect(members(mixed) == ["0000:02:00.0", "0000:03:01.0", "0000:03:02.0"])
        let verdict = Verdict.of(mixed)
        #expect(verdict.status == .notViable)
        #expect(verdict.reasons.map(\.device) == ["0000:03:02.0"])
        #expect(verdict.reasons.first?.message == "0000:03:02.0 is bound to nvme, which does kernel DMA")
    }

    @Test(arguments: ["intel", "amd"])
    func isolatedAndMultifunctionDevicesGroupAsTheKernelSays(topology: String) throws {
        let snapshot = Self.snapshot(topology)
        #expect(members(try group(holding: "0000:01:00.0", in: snapshot)) == ["0000:01:00.0"])
        #expect(members(try group(holding: "0000:00:05.0", in: snapshot)) == ["0000:00:05.0", "0000:00:05.1"])
        #expect(members(try group(holding: "0000:00:1f.0", in: snapshot)) == ["0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.3"])
        let ports = try group(holding: "0000:00:02.0", in: snapshot)
        #expect(ports.devices.first?.driver?.rawValue == "pcieport")
        #expect(Verdict.of(ports).status == .viable)
        #expect(Verdict.of(try group(holding: "0000:00:04.0", in: snapshot)).status == .notViable)
        #expect(snapshot.problems.isEmpty)
    }

    @Test func intelGivesTheISABridgeADirectRelaxableRegionThatDoesNotBlock() throws {
        let ich9 = try group(holding: "0000:00:1f.0", in: Self.snapshot("intel"))
        #expect(ich9.reservedRegions.contains(ReservedRegion(start: 0, end: 0xff_ffff, kind: .directRelaxable)))
        #expect(Verdict.of(ich9).status == .viable)
    }

    /// QEMU 7.2's AMD-Vi loses DMA off bus 0, so the NVMe's probe fails and the
    /// bridge group stays viable with the NVMe unbound.
    @Test func amdLeavesTheNVMeBehindTheBridgeUnbound() throws {
        let bridge = try group(holding: "0000:03:02.0", in: Self.snapshot("amd"))
        #expect(members(bridge) == ["0000:02:00.0", "0000:03:01.0", "0000:03:02.0"])
        #expect(bridge.devices.allSatisfy { $0.driver == nil })
        #expect(Verdict.of(bridge).status == .viable)
    }

    @Test func amdReservesTheHyperTransportRangeInEveryGroup() {
        let snapshot = Self.snapshot("amd")
        #expect(!snapshot.groups.isEmpty)
        let hyperTransport = ReservedRegion(start: 0xfd_0000_0000, end: 0xff_ffff_ffff, kind: .reserved)
        #expect(snapshot.groups.allSatisfy { $0.reservedRegions.contains(hyperTransport) })
    }

    @Test func virtioIOMMUGroupsOnlyDevicesADriverHasProbed() throws {
        let snapshot = Self.snapshot("virtio")
        #expect(snapshot.groups.allSatisfy { $0.type == "DMA-FQ" })
        let ungrouped = Set(snapshot.ungroupedDevices.map(\.address.description))
        #expect(ungrouped.isSuperset(of: ["0000:01:00.0", "0000:03:01.0", "0000:00:05.0"]))
        #expect(snapshot.ungroupedDevices.allSatisfy { $0.iommuGroup == nil })
        #expect(Verdict.of(try group(holding: "0000:00:04.0", in: snapshot)).status == .notViable)
    }

    @Test func noIOMMUMeansNoGroups() {
        let snapshot = Self.snapshot("noiommu")
        #expect(!snapshot.hasIOMMU)
        #expect(snapshot.ungroupedDevices.contains { $0.address.description == "0000:03:02.0" && $0.driver?.rawValue == "nvme" })
    }

    @Test(arguments: ["intel", "virtio", "amd", "noiommu"])
    func everyCapturedDeviceReadsCleanly(topology: String) {
        let snapshot = Self.snapshot(topology)
        let devices = snapshot.groups.flatMap(\.devices) + snapshot.ungroupedDevices
        #expect(devices.count >= 14)
        #expect(devices.allSatisfy { $0.vendorID != nil && $0.classCode != nil && $0.headerType != nil })
        #expect(devices.flatMap(\.problems).isEmpty)
    }
}
