/// What would split a group, from the links that hold it together: another
/// slot, a switch with ACS, or nothing short of different hardware.
enum SplitAdvice {
    typealias Note = GroupExplanation.Note

    static func of(
        members: [GroupExplanation.Member], links: [GroupLink], notPredicted: [PCIAddress], otherMembers: [String],
        formation: GroupFormation
    ) -> [Note] {
        if links.isEmpty && notPredicted.isEmpty && otherMembers.isEmpty {
            let name = members.first.map { "\($0.address) is" } ?? "it is"
            return [Note(code: "alone", devices: members.map(\.address),
                           message: "nothing to split: \(name) alone in its group by every rule")]
        }
        var advice: [Note] = []

        let aliased = Set(links.filter { $0.rule == .bridgeAlias && $0.certain }.map(\.peer)).sorted()
        for bridge in aliased {
            let function = formation.topology.functions[bridge]
            let requesterID = function.flatMap(BridgePath.requesterID).map { " " + $0 } ?? ""
            advice.append(Note(
                code: "bridge-alias", devices: [bridge],
                message: "nothing in software separates the devices behind \(GroupReasons.kind(bridge, formation)) "
                    + "\(bridge): they all reach the IOMMU with its requester ID\(requesterID). Only different "
                    + "hardware does: a PCIe device in a slot whose path to the root complex isolates (a root port "
                    + "with ACS, or a switch with ACS on its downstream ports)"))
        }

        let unknown = Set(links.filter { $0.rule == .bridgeAlias && !$0.certain }.map(\.peer)).sorted()
        if !unknown.isEmpty {
            advice.append(Note(
                code: "bridge-unreadable", devices: unknown,
                message: "vfioadm could not read what kind of bridge \(GroupReasons.list(unknown)) "
                    + (unknown.count == 1 ? "is" : "are") + " (run as root to see it), so it cannot say what would "
                    + "split this group"))
        }

        for hop in breakingHops(links, formation: formation) {
            advice.append(acsAdvice(hop))
        }

        let slots = Set(links.filter { $0.rule == .multifunction }.map(\.device.slot)).sorted()
        for slot in slots {
            advice.append(Note(
                code: "multifunction", devices: [slot],
                message: "the functions of slot \(GroupReasons.slot(slot)) are not isolated from each other: a "
                    + "multifunction device without ACS can pass DMA between its functions internally. Nothing short "
                    + "of different hardware splits them, unless the vendor confirms they are isolated and the kernel "
                    + "gains an ACS quirk for the device (drivers/pci/quirks.c)"))
        }

        for link in links where link.rule == .dmaAliasQuirk {
            advice.append(Note(
                code: "dma-alias-quirk", devices: [link.device, link.peer],
                message: "\(link.device) issues DMA with the requester ID of \(link.peer) (kernel quirk "
                    + "\(link.quirk?.kernelName ?? "DMA alias")): the IOMMU cannot tell them apart, and nothing "
                    + "splits them"))
        }

        for address in notPredicted {
            advice.append(Note(
                code: "unexplained", devices: [address],
                message: "vfioadm cannot say what would split \(address) from the rest: the kernel grouped it by a "
                    + "rule vfioadm cannot see"))
        }

        for name in otherMembers {
            advice.append(Note(
                code: "unexplained", devices: [],
                message: "vfioadm cannot say what would split \(name) from the rest: it is not a PCI function"))
        }

        let acsCodes: Set<String> = ["no-acs", "acs-disabled", "acs-unreadable", "multifunction"]
        if advice.contains(where: { acsCodes.contains($0.code) }) {
            advice.append(Note(
                code: "acs-override", devices: [],
                message: "vfioadm does not recommend pcie_acs_override=: it is an out-of-tree kernel patch, not part "
                    + "of mainline Linux. It makes the kernel assume isolation the hardware does not provide, so "
                    + "devices still in one real group can reach each other by DMA that the IOMMU never checks: a VM "
                    + "given one of them could read or corrupt the memory of the host or of whoever uses the other"))
        }
        return advice
    }

    /// The bridges that make the ACS walk join, each once, in address order.
    private static func breakingHops(_ links: [GroupLink], formation: GroupFormation) -> [BridgeHop] {
        var hops: [PCIAddress: BridgeHop] = [:]
        for link in links where link.rule == .acsPath {
            guard let path = formation.paths[link.device],
                  let start = path.hops.firstIndex(where: { $0.address == link.peer })
            else { continue }
            for hop in path.hops[start...] where hop.check.isolates != true { hops[hop.address] = hop }
        }
        return hops.values.sorted { $0.address < $1.address }
    }

    private static func acsAdvice(_ hop: BridgeHop) -> Note {
        let another = "move the device to a slot whose path to the root complex isolates: one on a CPU root port "
            + "with ACS, or behind a PCIe switch with ACS on its downstream ports. Where the machine has no such "
            + "slot, nothing short of different hardware will split the group"
        switch hop.check {
        case .flagsOff(let missing):
            return Note(
                code: "acs-disabled", devices: [hop.address],
                message: "\(hop.kind.name) \(hop.address) implements ACS but has \(missing) off. The kernel turns "
                    + "these on at boot when an IOMMU is enabled, so something turned them off: look for "
                    + "pci=disable_acs_redir= or pci=config_acs= on the kernel command line, which can only take "
                    + "isolation away")
        case .unreadable:
            return Note(
                code: "acs-unreadable", devices: [hop.address],
                message: "vfioadm could not read the ACS capability of \(hop.address) (run as root to see it); if "
                    + "it has none, " + another)
        default:
            return Note(
                code: "no-acs", devices: [hop.address],
                message: "\(hop.kind.name) \(hop.address) does not isolate (\(hop.check.summary(hop.acs))), so "
                    + "devices below it can reach each other without the IOMMU seeing it. To split the group, "
                    + another)
        }
    }
}
