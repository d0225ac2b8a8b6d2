import Testing
@testable import VFIOSysfs
import SysfsTestSupport

@Suite struct ViabilityTests {
    private func verdict(regions: [String] = [], _ devices: [SysfsTree.Device]) throws -> Verdict {
        let tree = try SysfsTree()
        try tree.group(7, regions: regions)
        for device in devices { try tree.add(device) }
        return Verdict.of(SysfsReader(root: tree.hostRoot).group(IOMMUGroupID(rawValue: 7)))
    }

    @Test(arguments: [nil, "vfio-pci", "mlx5_vfio_pci", "pci-stub", "pcieport"] as [String?])
    func unboundAndDMAManagedDriversKeepTheGroupViable(driver: String?) throws {
        let result = try verdict([
            .init(address: "0000:00:1c.0", driver: "pcieport", headerType: 1, group: 7),
            .init(address: "0000:01:00.0", driver: driver, group: 7),
        ])
        #expect(result.status == .viable)
        #expect(result.reasons.isEmpty)
    }

    @Test func aKernelDMADriverBlocksAndIsNamed() throws {
        let result = try verdict([
            .init(address: "0000:02:01.0", driver: "vfio-pci", group: 7),
            .init(address: "0000:02:02.0", driver: "nvme", group: 7),
        ])
        #expect(result.status == .notViable)
        let reason = try #require(result.reasons.first)
        #expect(result.reasons.count == 1)
        #expect(reason.code == .kernelDMADriver)
        #expect(reason.device == "0000:02:02.0")
        #expect(reason.message == "0000:02:02.0 is bound to nvme, which does kernel DMA")
        #expect(reason.fix.contains("/sys/bus/pci/drivers/nvme/unbind"))
    }

    @Test func everyBlockingDeviceIsListed() throws {
        let result = try verdict([
            .init(address: "0000:00:1f.0", driver: "lpc_ich", group: 7),
            .init(address: "0000:00:1f.2", driver: "ahci", group: 7),
            .init(address: "0000:00:1f.3", driver: "i801_smbus", group: 7),
        ])
        #expect(result.reasons.compactMap(\.device) == ["0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.3"])
    }

    @Test func aDirectRegionMakesTheGroupUnassignableWhateverTheDrivers() throws {
        let result = try verdict(regions: [
            "0x00000000bd000000 0x00000000bdffffff direct",
            "0x00000000fee00000 0x00000000feefffff msi",
        ], [.init(address: "0000:00:14.0", driver: "vfio-pci", group: 7)])
        #expect(result.status == .unassignable)
        let reason = try #require(result.reasons.first)
        #expect(reason.code == .directRegion)
        #expect(reason.message.contains("0xbd000000-0xbdffffff"))
        #expect(reason.fix.contains("firmware"))
    }

    @Test func aDirectRelaxableRegionDoesNotBlock() throws {
        let result = try verdict(regions: ["0x0000000000000000 0x0000000000ffffff direct-relaxable"], [
            .init(address: "0000:00:1f.0", group: 7),
        ])
        #expect(result.status == .viable)
    }
}
