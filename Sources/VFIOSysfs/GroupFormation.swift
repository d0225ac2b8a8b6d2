/// One reason two functions must share an IOMMU group, by one of the rules of
/// the kernel's `pci_device_group`.
public struct GroupLink: Hashable, Sendable {
    public enum Rule: String, Hashable, Sendable {
        /// The device's DMA carries the requester ID of a bridge above it.
        case bridgeAlias = "bridge-alias"
        /// A bridge above it, or one above that, does not isolate (ACS).
        case acsPath = "acs-path"
        /// Functions of one slot of which neither is isolated.
        case multifunction
        /// A kernel quirk: one function's DMA carries the other's requester ID.
        case dmaAliasQuirk = "dma-alias-quirk"
    }

    public let rule: Rule
    /// The function that joins.
    public let device: PCIAddress
    /// What it joins: the bridge, the sibling function, the alias.
    public let peer: PCIAddress
    /// False when the rule was assumed for config space that could not be read.
    public let certain: Bool
    /// The quirk behind a `dmaAliasQuirk` link.
    public let quirk: KernelQuirk?

    public init(rule: Rule, device: PCIAddress, peer: PCIAddress, certain: Bool, quirk: KernelQuirk? = nil) {
        self.rule = rule
        self.device = device
        self.peer = peer
        self.certain = certain
        self.quirk = quirk
    }
}

/// The groups the kernel's rules give a host's functions: every link of
/// `pci_device_group` between them, and the sets those links join. The
/// kernel builds groups one device at a time, reusing the group of whatever a
/// device is linked to; the sets joined by the links are the same groups.
public struct GroupFormation: Sendable {
    public let topology: PCITopology
    public let paths: [PCIAddress: BridgePath]
    public let checks: [PCIAddress: ACSCheck]
    public let links: [GroupLink]
    private let representative: [PCIAddress: PCIAddress]

    public init(_ topology: PCITopology) {
        self.topology = topology
        var paths: [PCIAddress: BridgePath] = [:]
        var checks: [PCIAddress: ACSCheck] = [:]
        for (address, function) in topology.functions {
            paths[address] = BridgePath(function, in: topology)
            checks[address] = ACSCheck.of(function)
        }
        var links: [GroupLink] = []
        for (address, function) in topology.functions.sorted(by: { $0.key < $1.key }) {
            guard let path = paths[address] else { continue }
            for hop in path.aliasHops {
                links.append(GroupLink(rule: .bridgeAlias, device: address, peer: hop.address, certain: hop.aliases != nil))
            }
            for index in path.acsJoinIndices {
                links.append(GroupLink(rule: .acsPath, device: address, peer: path.hops[index].address,
                                       certain: path.acsJoinIsCertain(index)))
            }
            links += Self.functionLinks(function, checks: checks, topology: topology)
        }
        self.paths = paths
        self.checks = checks
        self.links = links
        representative = Self.join(Array(topology.functions.keys), links)
    }

    /// `get_pci_function_alias_group` and `get_pci_alias_group`: a
    /// multifunction function that is not isolated joins its siblings that
    /// are not either; a DMA-alias quirk joins the function it names. Of two
    /// functions of one slot at least one is not function 0, and so is
    /// multifunction to the kernel unless it is a virtual function, which
    /// needs no ACS: the pair only needs both to lack isolation.
    private static func functionLinks(
        _ function: PCIFunction, checks: [PCIAddress: ACSCheck], topology: PCITopology
    ) -> [GroupLink] {
        var links: [GroupLink] = []
        let address = function.address
        let siblings = topology.slotSiblings(of: address)
        if let own = checks[address], own.isolates != true {
            for sibling in siblings where sibling.address > address {
                guard let other = checks[sibling.address], other.isolates != true else { continue }
                links.append(GroupLink(rule: .multifunction, device: address, peer: sibling.address,
                                       certain: own.isolates == false && other.isolates == false))
            }
        }
        let vendor = function.device.vendorID
        let device = function.device.deviceID
        if let aliased = KernelQuirk.dmaAliasFunction(vendor: vendor, device: device, function: address.function),
           let target = siblings.first(where: { $0.address.function == aliased }) {
            links.append(GroupLink(rule: .dmaAliasQuirk, device: address, peer: target.address, certain: true,
                                   quirk: .dmaAlias(function: aliased)))
        }
        return links
    }

    /// Union-find over the links; each set is named by its lowest address.
    private static func join(_ addresses: [PCIAddress], _ links: [GroupLink]) -> [PCIAddress: PCIAddress] {
        var parent: [PCIAddress: PCIAddress] = [:]
        for address in addresses { parent[address] = address }
        func find(_ address: PCIAddress) -> PCIAddress {
            var root = address
            while let next = parent[root], next != root { root = next }
            var current = address
            while let next = parent[current], next != root {
                parent[current] = root
                current = next
            }
            return root
        }
        for link in links {
            parent[link.peer] = parent[link.peer] ?? link.peer  // a bridge missing from the device list
            let (a, b) = (find(link.device), find(link.peer))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var result: [PCIAddress: PCIAddress] = [:]
        for address in parent.keys { result[address] = find(address) }
        return result
    }

    /// The functions the rules put in one group with `address`, sorted.
    public func predictedGroup(of address: PCIAddress) -> [PCIAddress] {
        guard let set = representative[address] else { return [address] }
        return representative.filter { $0.value == set }.keys.sorted()
    }

    /// The links between members of `members`.
    public func links(among members: Set<PCIAddress>) -> [GroupLink] {
        links.filter { members.contains($0.device) && members.contains($0.peer) }
    }
}
