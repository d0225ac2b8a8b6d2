/// One bridge between a function and the root complex, as the grouping rules see it.
public struct BridgeHop: Hashable, Sendable {
    public let address: PCIAddress
    public let kind: FunctionKind
    public let headerType: UInt8?
    public let acs: ConfigLookup<ACSCapability>
    /// `pci_acs_enabled` for the bridge.
    public let check: ACSCheck
    /// Whether DMA from below reaches the IOMMU with this bridge's requester ID
    /// (`pci_for_each_dma_alias`); nil when the bridge's kind is unreadable.
    public let aliases: Bool?
    /// The requester ID the bridge's DMA aliases carry, `BB:DD.F`: the
    /// secondary bus with devfn 0 for a PCIe-to-PCI bridge, else the bridge's own.
    public let requesterID: String?
}

/// The way up from one function to the root complex and what the kernel's
/// `pci_device_group` makes of it: the DMA alias it ends on, then the bridges
/// its ACS walk passes because the path above them does not isolate.
public struct BridgePath: Hashable, Sendable {
    public let device: PCIAddress
    /// Nearest bridge first; empty on a root bus.
    public let hops: [BridgeHop]
    /// Index in `hops` of the topmost bridge whose requester ID the device's DMA carries.
    public let aliasIndex: Int?
    /// Indices in `hops` of the bridges the ACS walk joins, nearest first.
    public let acsJoinIndices: [Int]

    public init(_ function: PCIFunction, in topology: PCITopology) {
        device = function.address
        hops = function.upstream.map { address in
            guard let bridge = topology.functions[address] else {
                return BridgeHop(address: address, kind: .unknown, headerType: nil, acs: .unreadable,
                                 check: .unreadable, aliases: nil, requesterID: nil)
            }
            return BridgeHop(address: address, kind: bridge.kind, headerType: bridge.device.headerType,
                             acs: bridge.acs, check: ACSCheck.of(bridge), aliases: Self.aliases(bridge.kind),
                             requesterID: Self.requesterID(bridge))
        }
        aliasIndex = hops.lastIndex { $0.aliases != false }
        // pci_acs_path_enabled on each bridge above the alias point: the walk stops
        // at the first one whose whole path up isolates; vfioadm assumes the worst
        // of what it could not read.
        var joins: [Int] = []
        for index in hops.indices where index > (aliasIndex ?? -1) {
            if hops[index...].allSatisfy({ $0.check.isolates == true }) { break }
            joins.append(index)
        }
        acsJoinIndices = joins
    }

    /// The bridges the device's DMA aliases to, nearest first.
    public var aliasHops: [BridgeHop] {
        guard let aliasIndex else { return [] }
        return hops[...aliasIndex].filter { $0.aliases != false }
    }

    /// The bridges the ACS walk joins, nearest first.
    public var acsJoins: [BridgeHop] { acsJoinIndices.map { hops[$0] } }

    /// Whether the ACS walk's bridge at `index` fails on something read (not assumed).
    public func acsJoinIsCertain(_ index: Int) -> Bool {
        hops[index...].contains { $0.check.isolates == false }
    }

    /// The nearest bridge that the kernel does not count as isolating (or that could not be read).
    public var firstBreak: BridgeHop? { hops.first { $0.check.isolates != true } }

    /// `pci_for_each_dma_alias`: root, upstream and downstream ports pass
    /// requester IDs through; PCIe-to-PCI, PCI-to-PCIe and conventional
    /// bridges put their own on what comes from below.
    static func aliases(_ kind: FunctionKind) -> Bool? {
        switch kind {
        case .rootPort, .upstreamPort, .downstreamPort: false
        case .pcieToPCIBridge, .pciToPCIeBridge, .pciBridge, .cardBusBridge, .pciFunction: true
        case .pcieEndpoint, .legacyEndpoint, .integratedEndpoint, .eventCollector, .otherPCIe: false
        case .unknown, .unreadableBridge: nil
        }
    }

    static func requesterID(_ bridge: PCIFunction) -> String? {
        let address = bridge.address
        switch bridge.kind {
        case .pcieToPCIBridge:
            guard let bus = bridge.config?.secondaryBus else { return nil }
            return zeroPaddedHex(bus, 2) + ":00.0"
        case .pciToPCIeBridge, .pciBridge, .cardBusBridge, .pciFunction:
            return zeroPaddedHex(address.bus, 2) + ":" + zeroPaddedHex(address.device, 2) + "." + String(address.function)
        default:
            return nil
        }
    }
}
