import Foundation
import SysfsTestSupport
import Testing
@testable import VFIOSysfs

/// Config-space walks on the config files captured from the guest's kernels
/// (as root: 4096 bytes for PCI Express functions, 256 for conventional PCI)
/// and on synthetic bytes.
@Suite struct ConfigSpaceTests {
    static func captured(_ topology: String, _ address: String) throws -> ConfigSpace {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(topology)/sys/bus/pci/devices/\(address)/config").path
        return try ConfigSpace.read(path).get()
    }

    @Test func qemuRootPortHasPCIeAndACSWithTheKernelsFlagsOn() throws {
        let config = try Self.captured("intel", "0000:00:03.0")
        #expect(config.bytes.count == 4096 && config.size == 4096 && !config.isTruncated)
        #expect(config.headerLayout == 1 && config.secondaryBus == 2)
        #expect(config.capability(PCIeCapability.id) == .found(0x54))
        #expect(PCIeCapability.find(in: config).value?.portType == .rootPort)
        let acs = try #require(ACSCapability.find(in: config).value)
        #expect(acs.offset == 0x148)
        #expect(acs.implemented.rawValue == 0x5F)
        #expect(acs.enabled == .isolation)
        #expect(acs.missing().isEmpty)
    }

    /// Without an IOMMU the kernel never calls pci_enable_acs: same port, nothing on.
    @Test func withoutAnIOMMUTheSamePortHasEveryACSFlagOff() throws {
        let acs = try #require(ACSCapability.find(in: try Self.captured("noiommu", "0000:00:03.0")).value)
        #expect(acs.implemented.rawValue == 0x5F)
        #expect(acs.enabled.isEmpty)
        #expect(acs.missing() == .isolation)
    }

    @Test func pciePCIBridgeHasNoACS() throws {
        let config = try Self.captured("intel", "0000:02:00.0")
        #expect(PCIeCapability.find(in: config).value?.portType == .pcieToPCIBridge)
        #expect(config.secondaryBus == 3)
        #expect(ACSCapability.find(in: config) == .absent)
    }

    @Test func capabilityListsAreWalkedInTheirOrderNotTheirOffsets() throws {
        let nic = try Self.captured("intel", "0000:00:04.0")  // 0xc8 -> 0xd0 -> 0xe0 (PCIe) -> 0xa0
        #expect(nic.capability(0x10) == .found(0xE0))
        #expect(nic.capability(0x11) == .found(0xA0))
        #expect(nic.capability(0x0D) == .absent)
        #expect(PCIeCapability.find(in: nic).value?.portType == .rootComplexIntegratedEndpoint)
    }

    /// The NVMe behind the PCIe-to-PCI bridge is PCIe but the kernel reaches only 256 bytes of it.
    @Test func a256ByteConfigSpaceHasNoExtendedCapabilities() throws {
        let nvme = try Self.captured("intel", "0000:03:02.0")
        #expect(nvme.size == 256 && !nvme.isTruncated)
        #expect(PCIeCapability.find(in: nvme).value?.portType == .endpoint)
        #expect(nvme.extendedCapability(ACSCapability.id) == .absent)
    }

    @Test func conventionalEduHasNoPCIeCapability() throws {
        let edu = try Self.captured("intel", "0000:00:05.0")
        #expect(edu.multifunctionBit == true)
        #expect(PCIeCapability.find(in: edu) == .absent)
        #expect(FunctionKind(pcie: .absent, headerLayout: edu.headerLayout) == .pciFunction)
    }

    /// What a non-root reader gets: the header, then nothing.
    @Test func sixtyFourBytesLeaveCapabilitiesUnreadable() {
        let full = ConfigBytes.make(headerType: 1, pcie: .rootPort, acs: (0x5F, 0x1D), secondaryBus: 4)
        let config = ConfigSpace(bytes: Array(full.prefix(64)), size: 4096)
        #expect(config.isTruncated)
        #expect(config.headerLayout == 1 && config.secondaryBus == 4)
        #expect(config.capability(PCIeCapability.id) == .unreadable)
        #expect(config.extendedCapability(ACSCapability.id) == .unreadable)
        #expect(FunctionKind(pcie: PCIeCapability.find(in: config), headerLayout: 1) == .unreadableBridge)
        #expect(ConfigSpace(bytes: Array(full.prefix(64))).isTruncated)  // a 64-byte file
    }

    @Test func aLoopInTheCapabilityListEnds() {
        var bytes = [UInt8](repeating: 0, count: 256)
        bytes[0x06] = 0x10
        bytes[0x34] = 0x40
        bytes[0x40] = 0x05
        bytes[0x41] = 0x40  // points at itself
        let config = ConfigSpace(bytes: bytes)
        #expect(config.capability(0x10) == .absent)
    }

    @Test(arguments: [ConfigBytes.PortType.endpoint, .rootPort, .upstreamPort, .downstreamPort, .pcieToPCIBridge,
                      .pciToPCIeBridge, .integratedEndpoint])
    func portTypeIsBits7To4OfThePCIeCapabilitiesRegister(type: ConfigBytes.PortType) {
        let config = ConfigSpace(bytes: ConfigBytes.make(pcie: type))
        #expect(PCIeCapability.find(in: config).value?.rawPortType == type.rawValue)
        #expect(PCIeCapability.find(in: config).value?.portType?.rawValue == type.rawValue)
    }

    @Test func upstreamBridgesComeFromTheSysfsLinkNearestFirst() {
        let target = "../../../devices/pci0000:00/0000:00:03.0/0000:02:00.0/0000:03:01.0"
        #expect(SysfsReader.upstreamBridges(linkTarget: target).map(\.description) == ["0000:02:00.0", "0000:00:03.0"])
        #expect(SysfsReader.upstreamBridges(linkTarget: "../../../devices/pci0000:00/0000:00:1f.2").isEmpty)
    }
}
