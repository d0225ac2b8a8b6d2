import Foundation
import SysfsTestSupport
import Testing
@testable import VFIOSysfs

/// The kernel's grouping rules on hand-built trees with synthetic config
/// space: the topologies no guest has (switches, ports without ACS, quirks,
/// conventional bridges, non-root reads).
@Suite struct GroupFormationTests {
    typealias Device = SysfsTree.Device

    static func rootPort(_ address: String, acs: (UInt16, UInt16)? = (0x5F, 0x1D), secondaryBus: UInt8,
                         group: Int? = nil) -> Device {
        Device(address: address, vendor: "0x8086", device: "0x7ab8", classCode: "0x060400", headerType: 1, group: group,
               config: ConfigBytes.make(vendor: 0x8086, device: 0x7AB8, headerType: 1, pcie: .rootPort,
                                        acs: acs.map { (capability: $0.0, control: $0.1) }, secondaryBus: secondaryBus))
    }

    static func endpoint(_ address: String, parent: String?, headerType: UInt8 = 0, vendor: UInt16 = 0x1234,
                         device: UInt16 = 0x11e8, acs: (UInt16, UInt16)? = nil, group: Int? = nil) -> Device {
        Device(address: address, vendor: "0x" + zeroPaddedHex(vendor, 4), device: "0x" + zeroPaddedHex(device, 4),
               headerType: headerType, group: group, parent: parent,
               config: ConfigBytes.make(vendor: vendor, device: device, headerType: headerType, pcie: .endpoint,
                                        acs: acs.map { (capability: $0.0, control: $0.1) }))
    }

    static func conventional(_ address: String, parent: String?, headerType: UInt8 = 0, group: Int? = nil) -> Device {
        Device(address: address, headerType: headerType, group: group, parent: parent,
               config: ConfigBytes.make(headerType: headerType))
    }

    private func formation(_ tree: SysfsTree) -> GroupFormation {
        GroupFormation(SysfsReader(root: tree.hostRoot).topology())
    }

    private func group(_ formation: GroupFormation, _ address: String) -> [String] {
        formation.predictedGroup(of: PCIAddress(address)!).map(\.description)
    }

    @Test(arguments: ACSTests.combinations)
    func aRootPortIsolatesOnlyWithSVRRCRUFOn(index: Int) throws {
        let enabled = ACSTests.flags(index)
        let tree = try SysfsTree()
        try tree.add(Self.rootPort("0000:00:1c.0", acs: (0x5F, enabled.rawValue), secondaryBus: 1))
        try tree.add(Self.endpoint("0000:01:00.0", parent: "0000:00:1c.0"))
        let formation = formation(tree)
        let isolates = index == 15
        #expect(group(formation, "0000:01:00.0") == (isolates ? ["0000:01:00.0"] : ["0000:00:1c.0", "0000:01:00.0"]))
        let port = try #require(formation.paths[PCIAddress("0000:01:00.0")!]?.hops.first)
        #expect(port.check == (isolates ? .enabled : .flagsOff(ACSFlags.isolation.subtracting(enabled))))
    }

    @Test func aRootPortWithoutACSJoinsWhatIsBelowIt() throws {
        let tree = try SysfsTree()
        try tree.add(Self.rootPort("0000:00:1c.0", acs: nil, secondaryBus: 1, group: 1))
        try tree.add(Self.endpoint("0000:01:00.0", parent: "0000:00:1c.0", group: 1))
        try tree.group(1)
        let topology = SysfsReader(root: tree.hostRoot).topology()
        let explanation = GroupExplanation(group: try #require(topology.groups[IOMMUGroupID(rawValue: 1)]),
                                           formation: GroupFormation(topology))
        #expect(explanation.crossCheck.status == .match)
        let endpoint = try #require(explanation.members.first { $0.address.description == "0000:01:00.0" })
        #expect(endpoint.reasons.map(\.code) == ["acs-path"])
        #expect(endpoint.reasons.first?.message.contains("no ACS capability") == true)
        #expect(endpoint.path.firstBreak?.address.description == "0000:00:1c.0")
        #expect(explanation.split.map(\.code) == ["no-acs", "acs-override"])
        #expect(explanation.split.last?.message.contains("out-of-tree") == true)
    }

    /// A switch: its upstream port needs no ACS, each downstream port does.
    @Test func onlyTheDownstreamPortWithoutACSSharesItsGroup() throws {
        let tree = try SysfsTree()
        try tree.add(Self.rootPort("0000:00:01.0", secondaryBus: 1))
        try tree.add(Device(address: "0000:01:00.0", headerType: 1, parent: "0000:00:01.0",
                            config: ConfigBytes.make(headerType: 1, pcie: .upstreamPort, secondaryBus: 2)))
        try tree.add(Device(address: "0000:02:00.0", headerType: 1, parent: "0000:01:00.0",
                            config: ConfigBytes.make(headerType: 1, pcie: .downstreamPort, acs: (0x1F, 0x1D),
                                                     secondaryBus: 3)))
        try tree.add(Device(address: "0000:02:01.0", headerType: 1, parent: "0000:01:00.0",
                            config: ConfigBytes.make(headerType: 1, pcie: .downstreamPort, secondaryBus: 4)))
        try tree.add(Self.endpoint("0000:03:00.0", parent: "0000:02:00.0"))
        try tree.add(Self.endpoint("0000:04:00.0", parent: "0000:02:01.0"))
        let formation = formation(tree)
        #expect(group(formation, "0000:03:00.0") == ["0000:03:00.0"])
        #expect(group(formation, "0000:04:00.0") == ["0000:02:01.0", "0000:04:00.0"])
        #expect(group(formation, "0000:01:00.0") == ["0000:01:00.0"])
    }

    @Test(arguments: [
        (nil, nil, true),                                   // no ACS: one group
        ((0x5F, 0x1D), (0x5F, 0x1D), false),                // ACS on both functions
        ((0x5F, 0x1D), nil, false),                         // one function isolated is enough to part them
        ((0x5F, 0x0D), (0x5F, 0x1D), false),
        ((0x5F, 0x0D), (0x5F, 0x0C), true),                 // UF off on one, SV and UF off on the other
    ] as [((UInt16, UInt16)?, (UInt16, UInt16)?, Bool)])
    func multifunctionEndpointsShareAGroupWithoutACS(acs0: (UInt16, UInt16)?, acs1: (UInt16, UInt16)?, shared: Bool) throws {
        let tree = try SysfsTree()
        try tree.add(Self.rootPort("0000:00:1c.0", secondaryBus: 1))
        try tree.add(Self.endpoint("0000:01:00.0", parent: "0000:00:1c.0", headerType: 0x80, acs: acs0))
        try tree.add(Self.endpoint("0000:01:00.1", parent: "0000:00:1c.0", acs: acs1))
        let formation = formation(tree)
        #expect(group(formation, "0000:01:00.0") == (shared ? ["0000:01:00.0", "0000:01:00.1"] : ["0000:01:00.0"]))
        #expect(formation.links.contains { $0.rule == .multifunction } == shared)
    }

    /// `pci_iov_add_virtfn` clears `multifunction`: VFs need no ACS of their own.
    @Test func virtualFunctionsInTheirPhysicalFunctionsSlotStayApart() throws {
        let tree = try SysfsTree()
        try tree.add(Self.rootPort("0000:00:1c.0", secondaryBus: 3))
        try tree.add(Self.endpoint("0000:03:00.0", parent: "0000:00:1c.0"))
        for vf in ["0000:03:00.2", "0000:03:00.3"] {
            var device = Self.endpoint(vf, parent: "0000:00:1c.0")
            device.physfn = "0000:03:00.0"
            try tree.add(device)
        }
        let formation = formation(tree)
        #expect(formation.topology.functions[PCIAddress("0000:03:00.2")!]?.isMultifunction == false)
        for address in ["0000:03:00.0", "0000:03:00.2", "0000:03:00.3"] {
            #expect(group(formation, address) == [address])
        }
    }

    @Test func theMultifunctionQuirkIsolatesAnIntel82599() throws {
        let tree = try SysfsTree()
        try tree.add(Self.rootPort("0000:00:1c.0", secondaryBus: 1))
        try tree.add(Self.endpoint("0000:01:00.0", parent: "0000:00:1c.0", headerType: 0x80, vendor: 0x8086, device: 0x10FB))
        try tree.add(Self.endpoint("0000:01:00.1", parent: "0000:00:1c.0", vendor: 0x8086, device: 0x10FB))
        let formation = formation(tree)
        #expect(group(formation, "0000:01:00.0") == ["0000:01:00.0"])
        #expect(formation.checks[PCIAddress("0000:01:00.1")!] == .quirk(.isolatedFunctions))
    }

    @Test func aMarvellDMAAliasQuirkJoinsFunctionsThatACSWouldPart() throws {
        let tree = try SysfsTree()
        try tree.add(Self.rootPort("0000:00:1c.0", secondaryBus: 1))
        try tree.add(Self.endpoint("0000:01:00.0", parent: "0000:00:1c.0", headerType: 0x80, vendor: 0x1B4B,
                                   device: 0x9128, acs: (0x1D, 0x1D)))
        try tree.add(Self.endpoint("0000:01:00.1", parent: "0000:00:1c.0", vendor: 0x1B4B, device: 0x91A0,
                                   acs: (0x1D, 0x1D)))
        let formation = formation(tree)
        #expect(group(formation, "0000:01:00.1") == ["0000:01:00.0", "0000:01:00.1"])
        let link = try #require(formation.links.first { $0.rule == .dmaAliasQuirk })
        #expect(link.device.description == "0000:01:00.0" && link.peer.description == "0000:01:00.1")
        #expect(link.quirk?.kernelName == "quirk_dma_func1_alias")
    }

    static func bridgeTree(pcie: Bool, truncated: Bool = false) throws -> SysfsTree {
        let tree = try SysfsTree()
        try tree.group(1)
        try tree.group(9)
        let port = rootPort("0000:00:03.0", secondaryBus: 2, group: 1)
        let bridge = Device(address: "0000:02:00.0", vendor: "0x1b36", device: "0x000e", classCode: "0x060400",
                            headerType: 1, group: 9, parent: "0000:00:03.0",
                            config: ConfigBytes.make(vendor: 0x1B36, device: 0x000E, headerType: 1,
                                                     pcie: pcie ? .pcieToPCIBridge : nil, secondaryBus: 3))
        let edu = conventional("0000:03:01.0", parent: "0000:02:00.0", group: 9)
        let other = conventional("0000:03:02.0", parent: "0000:02:00.0", group: 9)
        for var device in [port, bridge, edu, other] {
            if truncated { device.config = device.config.map { Array($0.prefix(64)) } }
            try tree.add(device)
        }
        return tree
    }

    private func explain(_ tree: SysfsTree, group id: UInt32) throws -> GroupExplanation {
        let topology = SysfsReader(root: tree.hostRoot).topology()
        return GroupExplanation(group: try #require(topology.groups[IOMMUGroupID(rawValue: id)]),
                                formation: GroupFormation(topology))
    }

    @Test func devicesBehindAPCIePCIBridgeAliasToItsSecondaryBus() throws {
        let explanation = try explain(try Self.bridgeTree(pcie: true), group: 9)
        #expect(explanation.crossCheck.status == .match)
        let edu = try #require(explanation.members.first { $0.address.description == "0000:03:01.0" })
        #expect(edu.path.hops.map(\.kind) == [.pcieToPCIBridge, .rootPort])
        #expect(edu.path.aliasHops.map(\.requesterID) == ["03:00.0"])
        #expect(edu.reasons.map(\.code) == ["bridge-alias"])
        #expect(edu.reasons.first?.peers.map(\.description) == ["0000:02:00.0"])
        let bridge = try #require(explanation.members.first)
        #expect(bridge.reasons.first?.peers.map(\.description) == ["0000:03:01.0", "0000:03:02.0"])
        #expect(explanation.split.map(\.code) == ["bridge-alias"])
        #expect(explanation.limitations.isEmpty)
    }

    @Test func devicesBehindAConventionalBridgeAliasToTheBridgeItself() throws {
        let explanation = try explain(try Self.bridgeTree(pcie: false), group: 9)
        #expect(explanation.crossCheck.status == .match)
        let edu = try #require(explanation.members.first { $0.address.description == "0000:03:02.0" })
        #expect(edu.path.hops.first?.kind == .pciBridge)
        #expect(edu.path.aliasHops.map(\.requesterID) == ["02:00.0"])
        #expect(edu.path.hops.first?.check == .neverIsolates(.pciBridge))
    }

    /// A non-root reader sees 64 bytes: the rules assume the worst and say so.
    @Test func sixtyFourByteReadsAreALimitationNotAFailure() throws {
        let tree = try Self.bridgeTree(pcie: true, truncated: true)
        let explanation = try explain(tree, group: 9)
        let limitation = try #require(explanation.limitations.first)
        #expect(limitation.code == "config-truncated")
        #expect(limitation.devices.count == 4)
        #expect(limitation.message.contains("first 64 bytes") && limitation.message.contains("root"))
        // The root port's type is unknown: assumed to alias, so the prediction takes it in.
        #expect(explanation.crossCheck.status == .undetermined)
        #expect(explanation.crossCheck.elsewhere == [PCIAddress("0000:00:03.0")!: IOMMUGroupID(rawValue: 1)])
        #expect(explanation.members.allSatisfy { member in member.reasons.allSatisfy { !$0.certain } })
        #expect(explanation.split.map(\.code) == ["bridge-unreadable"])
    }

    @Test func aKernelMemberTheRulesDoNotPredictIsReportedNotHidden() throws {
        let tree = try SysfsTree()
        try tree.group(1)
        try tree.add(Self.rootPort("0000:00:1c.0", secondaryBus: 1))
        try tree.add(Self.rootPort("0000:00:1d.0", secondaryBus: 2))
        try tree.add(Self.endpoint("0000:01:00.0", parent: "0000:00:1c.0", group: 1))
        try tree.add(Self.endpoint("0000:02:00.0", parent: "0000:00:1d.0", group: 1))
        let explanation = try explain(tree, group: 1)
        #expect(explanation.crossCheck.status == .mismatch)
        #expect(explanation.crossCheck.notPredicted.map(\.description) == ["0000:02:00.0"])
        #expect(explanation.crossCheck.findings.contains {
            $0.contains("0000:02:00.0") && $0.contains("reason vfioadm cannot see")
        })
        let odd = try #require(explanation.members.last)
        #expect(odd.reasons.map(\.code) == ["unexplained"])
        #expect(explanation.split.map(\.code) == ["unexplained"])
    }

    @Test func aMemberThatIsNotAPCIFunctionIsReportedAsUnexplained() throws {
        let tree = try SysfsTree()
        try tree.group(4)
        try tree.add(Self.endpoint("0000:00:05.0", parent: nil, group: 4))
        try tree.link("sys/kernel/iommu_groups/4/devices/dprc.1", to: "../../../../devices/platform/dprc.1")
        let explanation = try explain(tree, group: 4)
        #expect(explanation.otherMembers == ["dprc.1"])
        #expect(explanation.crossCheck.status == .mismatch)
        #expect(explanation.crossCheck.findings.contains { $0.contains("dprc.1") && $0.contains("not a PCI function") })
        #expect(explanation.split.map(\.code) == ["unexplained"])
    }

    @Test func aDeviceWithoutAGroupIsExplainedByTheGroupItWouldJoin() throws {
        let tree = try SysfsTree()
        try tree.group(3)
        try tree.add(Self.rootPort("0000:00:03.0", secondaryBus: 2))
        try tree.add(Device(address: "0000:02:00.0", headerType: 1, group: 3, parent: "0000:00:03.0",
                            config: ConfigBytes.make(headerType: 1, pcie: .pcieToPCIBridge, secondaryBus: 3)))
        try tree.add(Self.conventional("0000:03:01.0", parent: "0000:02:00.0"))
        let topology = SysfsReader(root: tree.hostRoot).topology()
        let explanation = GroupExplanation(ungrouped: PCIAddress("0000:03:01.0")!, formation: GroupFormation(topology))
        #expect(explanation.group == nil)
        #expect(explanation.crossCheck.status == .mismatch)
        #expect(explanation.crossCheck.ungrouped.map(\.description) == ["0000:03:01.0"])
        #expect(explanation.crossCheck.elsewhere == [PCIAddress("0000:02:00.0")!: IOMMUGroupID(rawValue: 3)])
    }

    @Test func aHostWithoutGroupsHasNoIOMMU() throws {
        let tree = try SysfsTree()
        try tree.add(Self.rootPort("0000:00:03.0", secondaryBus: 2))
        try tree.add(Self.endpoint("0000:02:00.0", parent: "0000:00:03.0"))
        let topology = SysfsReader(root: tree.hostRoot).topology()
        #expect(!topology.hasIOMMU)
        #expect(topology.functions.count == 2)
        #expect(topology.functions[PCIAddress("0000:02:00.0")!]?.upstream.map(\.description) == ["0000:00:03.0"])
    }
}
