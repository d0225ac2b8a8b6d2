/// The reasons one function is in its group, phrased from its side of each
/// link the kernel's rules make.
enum GroupReasons {
    typealias Reason = GroupExplanation.Reason

    static func of(
        _ address: PCIAddress, links: [GroupLink], formation: GroupFormation, alone: Bool
    ) -> [Reason] {
        guard let path = formation.paths[address] else { return [] }
        let mine = links.filter { $0.device == address }
        let theirs = links.filter { $0.peer == address }
        var reasons: [Reason] = []

        for link in mine where link.rule == .bridgeAlias {
            reasons.append(behindBridge(link, path: path, formation: formation))
        }
        let aliasing = theirs.filter { $0.rule == .bridgeAlias }
        if !aliasing.isEmpty {
            let devices = aliasing.map(\.device)
            let requesterID = formation.topology.functions[address].flatMap(BridgePath.requesterID)
            reasons.append(Reason(
                code: GroupLink.Rule.bridgeAlias.rawValue, peers: devices, certain: aliasing.allSatisfy(\.certain),
                message: "\(list(devices)) \(devices.count == 1 ? "is" : "are") behind this "
                    + "\(kind(address, formation)) and reach\(devices.count == 1 ? "es" : "") the IOMMU with its "
                    + "requester ID" + (requesterID.map { " " + $0 } ?? "")))
        }

        let joins = mine.filter { $0.rule == .acsPath }
        if !joins.isEmpty {
            reasons.append(belowBridges(joins, path: path, formation: formation))
        }
        let joined = theirs.filter { $0.rule == .acsPath }
        if !joined.isEmpty {
            let devices = joined.map(\.device)
            let own = formation.checks[address] ?? .unreadable
            let acs = formation.topology.functions[address]?.acs ?? .unreadable
            let cause = own.isolates == false
                ? "it does not isolate (\(own.summary(acs)))"
                : path.firstBreak.map { "the path above it does not isolate (\($0.address): \($0.check.summary($0.acs)))" }
                    ?? "its isolation could not be read"
            reasons.append(Reason(
                code: GroupLink.Rule.acsPath.rawValue, peers: devices, certain: joined.allSatisfy(\.certain),
                message: "the devices below it share its group because \(cause): \(list(devices))"))
        }

        let siblings = links.filter { $0.rule == .multifunction && ($0.device == address || $0.peer == address) }
        if !siblings.isEmpty {
            let peers = siblings.map { $0.device == address ? $0.peer : $0.device }.sorted()
            let own = formation.checks[address] ?? .unreadable
            let acs = formation.topology.functions[address]?.acs ?? .unreadable
            reasons.append(Reason(
                code: GroupLink.Rule.multifunction.rawValue, peers: peers, certain: siblings.allSatisfy(\.certain),
                message: "a function of multifunction slot \(slot(address)) that is not isolated "
                    + "(\(own.summary(acs))), like \(list(peers)): functions of one device can pass DMA "
                    + "between them inside it, unseen by the IOMMU"))
        }

        for link in links where link.rule == .dmaAliasQuirk && (link.device == address || link.peer == address) {
            let quirk = link.quirk?.kernelName ?? "DMA alias"
            let ids = ids(link.device, formation)
            reasons.append(Reason(
                code: GroupLink.Rule.dmaAliasQuirk.rawValue, peers: [link.device == address ? link.peer : link.device],
                certain: true,
                message: link.device == address
                    ? "kernel quirk \(quirk) for \(ids): its DMA also carries the requester ID of \(link.peer)"
                    : "the DMA of \(link.device) also carries this function's requester ID (kernel quirk \(quirk) for \(ids))"))
        }

        if reasons.isEmpty && alone {
            reasons.append(isolated(address, path: path, formation: formation))
        }
        return reasons
    }

    /// A kernel member the rules put elsewhere.
    static func unexplained(_ address: PCIAddress, formation: GroupFormation) -> Reason {
        let others = formation.predictedGroup(of: address).filter { $0 != address }
        return Reason(
            code: "unexplained", peers: [], certain: true,
            message: "the kernel put it in this group for a reason vfioadm cannot see (a quirk or an IOMMU-driver "
                + "rule); by the rules it would "
                + (others.isEmpty ? "have a group of its own" : "share a group with \(list(others))"))
    }

    private static func behindBridge(_ link: GroupLink, path: BridgePath, formation: GroupFormation) -> Reason {
        let hop = path.hops.first { $0.address == link.peer }
        let message = link.certain
            ? "behind \(kind(link.peer, formation)) \(link.peer): its DMA reaches the IOMMU with the bridge's "
                + "requester ID" + (hop?.requesterID.map { " " + $0 } ?? "")
                + ", the same for every device behind that bridge"
            : "behind bridge \(link.peer), whose type vfioadm could not read: assumed to put its own requester "
                + "ID on DMA from below, as PCIe-to-PCI and conventional bridges do"
        return Reason(code: GroupLink.Rule.bridgeAlias.rawValue, peers: [link.peer], certain: link.certain,
                      message: message)
    }

    private static func belowBridges(_ joins: [GroupLink], path: BridgePath, formation: GroupFormation) -> Reason {
        let bridges = joins.map(\.peer)
        let top = bridges.last.map { "\(kind($0, formation)) \($0)" } ?? "a bridge"
        let start = bridges.first.flatMap { first in path.hops.firstIndex { $0.address == first } } ?? 0
        let breaks = path.hops[start...].filter { $0.check.isolates != true }
            .map { "\($0.kind.name) \($0.address) (\($0.check.summary($0.acs)))" }
        return Reason(
            code: GroupLink.Rule.acsPath.rawValue, peers: bridges, certain: joins.allSatisfy(\.certain),
            message: "shares the group of \(top): isolation breaks at "
                + breaks.joined(separator: " and ") + " on the way to the root complex, so the devices below "
                + "can reach each other without the IOMMU seeing it")
    }

    private static func isolated(_ address: PCIAddress, path: BridgePath, formation: GroupFormation) -> Reason {
        var facts: [String] = []
        if path.hops.isEmpty {
            facts.append("it is on the root bus")
        } else {
            let bridges = path.hops.map { "\($0.address): " + $0.check.summary($0.acs) }.joined(separator: "; ")
            facts.append("every bridge up to the root complex isolates (\(bridges)) and none puts its own "
                + "requester ID on its DMA")
        }
        let check = formation.checks[address] ?? .unreadable
        let acs = formation.topology.functions[address]?.acs ?? .unreadable
        if formation.topology.functions[address]?.isMultifunction == true {
            facts.append("its functions are isolated (\(check.summary(acs)))")
        } else {
            facts.append("it is a single function")
        }
        return Reason(code: "isolated", peers: [], certain: true,
                      message: "alone by every rule: " + facts.joined(separator: "; "))
    }

    // MARK: wording

    static func kind(_ address: PCIAddress, _ formation: GroupFormation) -> String {
        formation.topology.functions[address]?.kind.name ?? "bridge"
    }

    static func ids(_ address: PCIAddress, _ formation: GroupFormation) -> String {
        let device = formation.topology.functions[address]?.device
        return (device?.vendorID.map { zeroPaddedHex($0, 4) } ?? "????") + ":"
            + (device?.deviceID.map { zeroPaddedHex($0, 4) } ?? "????")
    }

    /// `0000:00:1f` for a function's slot.
    static func slot(_ address: PCIAddress) -> String {
        String(address.description.dropLast(2))
    }

    /// `A`, `A and B`, `A, B and C`; long lists end in `and N more`.
    static func list(_ addresses: [PCIAddress], limit: Int = 6) -> String {
        var names = addresses.prefix(limit).map(\.description)
        if addresses.count > limit { names.append("\(addresses.count - limit) more") }
        guard let last = names.popLast() else { return "" }
        return names.isEmpty ? last : names.joined(separator: ", ") + " and " + last
    }
}
