import Foundation
import SysfsTestSupport
import Testing
@testable import VFIOSysfs

/// The kernel's ACS rule (`pci_acs_flags_enabled` with REQ_ACS_FLAGS = SV RR CR UF).
@Suite struct ACSTests {
    /// Every combination of the four flags the kernel needs, as bits 0-3 of `index`.
    static let combinations = Array(0..<16)

    static func flags(_ index: Int) -> ACSFlags {
        let four: [ACSFlags] = [.sourceValidation, .requestRedirect, .completionRedirect, .upstreamForwarding]
        return ACSFlags(four.enumerated().filter { index & (1 << $0.offset) != 0 }.map(\.element))
    }

    @Test func theKernelsFlagsAre0x1D() {
        #expect(ACSFlags.isolation.rawValue == 0x1D)
        #expect(ACSFlags.isolation.names == ["SV", "RR", "CR", "UF"])
        #expect(ACSFlags(rawValue: 0x7F).names == ["SV", "TB", "RR", "CR", "UF", "EC", "DT"])
    }

    /// A port that implements everything isolates only with all four on.
    @Test(arguments: combinations)
    func implementedFlagsMustAllBeOn(index: Int) {
        let enabled = Self.flags(index)
        let port = ACSCapability(offset: 0x148, implemented: ACSFlags(rawValue: 0x5F), enabled: enabled)
        #expect(port.missing() == ACSFlags.isolation.subtracting(enabled))
        #expect(port.missing().isEmpty == (index == 15))
    }

    /// A flag the port does not implement counts as on: implementing only the enabled
    /// flags isolates whatever they are.
    @Test(arguments: combinations)
    func unimplementedFlagsCountAsOn(index: Int) {
        let enabled = Self.flags(index)
        let port = ACSCapability(offset: 0x100, implemented: enabled, enabled: enabled)
        #expect(port.missing().isEmpty)
    }

    @Test func egressControlIsNeededEvenWhenNotImplemented() {
        let port = ACSCapability(offset: 0x100, implemented: [], enabled: [])
        #expect(port.missing([.egressControl]) == .egressControl)
        #expect(port.missing([.sourceValidation, .translationBlocking]).isEmpty)
    }

    @Test func flagsAreNamedByTheirAbbreviations() {
        #expect(ACSFlags([.requestRedirect, .upstreamForwarding]).names == ["RR", "UF"])
        #expect(ACSFlags([]).description == "none")
    }

    private func function(
        _ address: String, vendor: UInt16 = 0x1234, device: UInt16 = 0x11e8, headerType: UInt8 = 0,
        pcie: ConfigBytes.PortType?, acs: (UInt16, UInt16)? = nil
    ) -> PCIFunction {
        var pciDevice = PCIDevice(address: PCIAddress(address)!)
        pciDevice.vendorID = vendor
        pciDevice.deviceID = device
        pciDevice.headerType = headerType
        let bytes = ConfigBytes.make(vendor: vendor, device: device, headerType: headerType, pcie: pcie,
                                     acs: acs.map { (capability: $0.0, control: $0.1) })
        return PCIFunction(device: pciDevice, config: ConfigSpace(bytes: bytes), upstream: [])
    }

    @Test func portsNeedACS() {
        #expect(ACSCheck.of(function("0000:00:1c.0", headerType: 1, pcie: .rootPort)) == .noCapability)
        #expect(ACSCheck.of(function("0000:05:01.0", headerType: 1, pcie: .downstreamPort, acs: (0x5F, 0x1D))) == .enabled)
        #expect(ACSCheck.of(function("0000:05:01.0", headerType: 1, pcie: .downstreamPort, acs: (0x5F, 0x19)))
            == .flagsOff(.requestRedirect))
    }

    @Test func singleFunctionEndpointsAndUpstreamPortsNeedNone() {
        #expect(ACSCheck.of(function("0000:01:00.0", pcie: .endpoint)) == .notRequired)
        #expect(ACSCheck.of(function("0000:04:00.0", headerType: 1, pcie: .upstreamPort)) == .notRequired)
        #expect(ACSCheck.of(function("0000:01:00.0", headerType: 0x80, pcie: .endpoint)) == .noCapability)
        #expect(ACSCheck.of(function("0000:01:00.1", pcie: .endpoint, acs: (0x1D, 0x1D))) == .enabled)
    }

    @Test func conventionalPCIAndPCIBridgesNeverIsolate() {
        #expect(ACSCheck.of(function("0000:00:1f.0", headerType: 0x80, pcie: nil)) == .neverIsolates(.pciFunction))
        #expect(ACSCheck.of(function("0000:02:00.0", headerType: 1, pcie: .pcieToPCIBridge, acs: (0x5F, 0x1D)))
            == .neverIsolates(.pcieToPCIBridge))
        #expect(ACSCheck.of(function("0000:02:00.0", headerType: 1, pcie: nil)) == .neverIsolates(.pciBridge))
    }

    @Test func knownQuirksComeFirst() {
        // Intel 82599 (8086:10fb) is in pci_quirk_mf_endpoint_acs: isolated without ACS.
        let nic = function("0000:06:00.1", vendor: 0x8086, device: 0x10FB, pcie: .endpoint)
        #expect(ACSCheck.of(nic) == .quirk(.isolatedFunctions))
        // pci_quirk_rciep_acs: any Intel root-complex integrated endpoint.
        let rciep = function("0000:00:14.3", vendor: 0x8086, device: 0x1234, headerType: 0x80, pcie: .integratedEndpoint)
        #expect(ACSCheck.of(rciep) == .quirk(.intelIntegratedEndpoint))
        #expect(KernelQuirk.dmaAliasFunction(vendor: 0x1B4B, device: 0x9128, function: 0) == 1)
        #expect(KernelQuirk.dmaAliasFunction(vendor: 0x1B4B, device: 0x9128, function: 1) == nil)
        #expect(KernelQuirk.dmaAliasFunction(vendor: 0x1180, device: 0xE832, function: 2) == 0)
        #expect(KernelQuirk.dmaAliasFunction(vendor: 0x1234, device: 0x11e8, function: 0) == nil)
    }

    @Test func unreadableConfigIsUnknownNotIsolated() {
        var device = PCIDevice(address: PCIAddress("0000:00:1c.0")!)
        device.headerType = 1
        let bytes = ConfigBytes.make(headerType: 1, pcie: .rootPort, acs: (0x5F, 0x1D))
        let port = PCIFunction(device: device, config: ConfigSpace(bytes: Array(bytes.prefix(64)), size: 4096), upstream: [])
        #expect(port.kind == .unreadableBridge)
        #expect(ACSCheck.of(port) == .unreadable)
        #expect(ACSCheck.of(port).isolates == nil)
    }
}
