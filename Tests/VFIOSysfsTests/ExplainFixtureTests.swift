import Foundation
import LinuxSystem
import Testing
@testable import VFIOSysfs

/// The grouping rules on the sysfs trees captured from the guest's real
/// kernels: the groups they predict against the groups those kernels formed.
@Suite struct ExplainFixtureTests {
    static func formation(_ topology: String) -> GroupFormation {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(topology)").path
        return GroupFormation(SysfsReader(root: HostRoot(path)).topology())
    }

    private func explain(_ address: String, in formation: GroupFormation) throws -> GroupExplanation {
        let id = try #require(formation.topology.functions[PCIAddress(address)!]?.device.iommuGroup)
        return GroupExplanation(group: try #require(formation.topology.groups[id]), formation: formation)
    }

    private func member(_ address: String, of explanation: GroupExplanation) throws -> GroupExplanation.Member {
        try #require(explanation.members.first { $0.address.description == address })
    }

    @Test(arguments: ["intel", "amd"])
    func everyGroupIsTheOneTheRulesPredict(topology: String) {
        let formation = Self.formation(topology)
        #expect(formation.topology.groups.count == 10)
        for group in formation.topology.groups.values {
            let explanation = GroupExplanation(group: group, formation: formation)
            let kernel = group.devices.map(\.address).sorted()
            #expect(explanation.crossCheck.status == .match, "group \(group.id): \(explanation.crossCheck.findings)")
            #expect(explanation.crossCheck.predicted == kernel)
            #expect(explanation.members.map(\.address) == kernel)
            #expect(explanation.members.allSatisfy { !$0.reasons.isEmpty && $0.reasons.allSatisfy(\.certain) })
            #expect(explanation.limitations.isEmpty)
        }
    }

    @Test(arguments: ["intel", "amd"])
    func theBridgeGroupIsExplainedByTheAliasToThePCIePCIBridge(topology: String) throws {
        let explanation = try explain("0000:03:01.0", in: Self.formation(topology))
        for address in ["0000:03:01.0", "0000:03:02.0"] {
            let device = try member(address, of: explanation)
            #expect(device.reasons.map(\.code) == ["bridge-alias"])
            #expect(device.reasons.first?.peers.map(\.description) == ["0000:02:00.0"])
            #expect(device.path.hops.map(\.address.description) == ["0000:02:00.0", "0000:00:03.0"])
            #expect(device.path.hops.map(\.kind) == [.pcieToPCIBridge, .rootPort])
            #expect(device.path.hops.map(\.check) == [.neverIsolates(.pcieToPCIBridge), .enabled])
            #expect(device.path.aliasHops.map(\.requesterID) == ["03:00.0"])
            #expect(device.path.firstBreak?.address.description == "0000:02:00.0")
        }
        #expect(try member("0000:02:00.0", of: explanation).reasons.first?.peers.count == 2)
        #expect(explanation.split.map(\.code) == ["bridge-alias"])
    }

    @Test(arguments: ["intel", "amd"])
    func multifunctionSlotsWithoutACSAreExplainedAsSuch(topology: String) throws {
        let formation = Self.formation(topology)
        for slot in [["0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.3"], ["0000:00:05.0", "0000:00:05.1"]] {
            let explanation = try explain(slot[0], in: formation)
            for address in slot {
                let function = try member(address, of: explanation)
                #expect(function.check == .neverIsolates(.pciFunction))
                #expect(function.path.hops.isEmpty)
                #expect(function.reasons.map(\.code) == ["multifunction"])
                #expect(function.reasons.first?.peers.map(\.description) == slot.filter { $0 != address })
            }
            #expect(explanation.split.map(\.code) == ["multifunction", "acs-override"])
        }
    }

    @Test(arguments: ["intel", "amd"])
    func theEduBehindARootPortWithACSIsAlone(topology: String) throws {
        let explanation = try explain("0000:01:00.0", in: Self.formation(topology))
        let edu = try member("0000:01:00.0", of: explanation)
        #expect(edu.reasons.map(\.code) == ["isolated"])
        #expect(edu.path.hops.first?.acs.value?.enabled == .isolation)
        #expect(explanation.split.map(\.code) == ["alone"])
    }

    /// virtio-iommu attaches a device only once a driver probes it: nothing
    /// behind the bridge has a group, which the check reports.
    @Test func virtioLeavesTheDevicesBehindTheBridgeWithoutTheGroupTheRulesGiveThem() throws {
        let formation = Self.formation("virtio")
        let bridge = try explain("0000:02:00.0", in: formation)
        #expect(bridge.crossCheck.status == .mismatch)
        #expect(bridge.crossCheck.kernel.map(\.description) == ["0000:02:00.0"])
        #expect(bridge.crossCheck.ungrouped.map(\.description) == ["0000:03:01.0", "0000:03:02.0"])
        #expect(bridge.crossCheck.notPredicted.isEmpty && bridge.crossCheck.elsewhere.isEmpty)
        #expect(bridge.members.filter(\.inKernelGroup).map(\.address.description) == ["0000:02:00.0"])
        for group in formation.topology.groups.values where group.id != bridge.group {
            #expect(GroupExplanation(group: group, formation: formation).crossCheck.status == .match)
        }
    }

    /// Without an IOMMU the kernel leaves ACS off: the ports implement it but isolate nothing.
    @Test func noIOMMUMeansNoGroupsAndACSLeftOff() throws {
        let formation = Self.formation("noiommu")
        #expect(!formation.topology.hasIOMMU)
        #expect(formation.checks[PCIAddress("0000:00:03.0")!] == .flagsOff(.isolation))
        #expect(formation.predictedGroup(of: PCIAddress("0000:03:01.0")!).map(\.description)
            == ["0000:00:03.0", "0000:02:00.0", "0000:03:01.0", "0000:03:02.0"])
    }
}
