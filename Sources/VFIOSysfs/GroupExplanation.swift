/// Why the kernel put each member in an IOMMU group, from its rules
/// (`pci_device_group`, `pci_acs_enabled`) applied to config space and the
/// sysfs topology, checked against the group the kernel actually formed.
public struct GroupExplanation: Sendable {
    /// One function of the group (or one the rules say belongs in it).
    public struct Member: Sendable {
        public let function: PCIFunction
        /// `pci_acs_enabled` for the function itself.
        public let check: ACSCheck
        public let path: BridgePath
        /// In the kernel's group (for an ungrouped target: the target itself).
        public let inKernelGroup: Bool
        /// In the group vfioadm's rules predict.
        public let predicted: Bool
        public let reasons: [Reason]

        public var address: PCIAddress { function.address }
    }

    /// Why a member is in the group.
    public struct Reason: Hashable, Sendable {
        /// A `GroupLink.Rule` raw value, `isolated` (alone by every rule) or
        /// `unexplained` (the kernel grouped it by a rule vfioadm cannot see).
        public let code: String
        /// The functions this reason ties the member to.
        public let peers: [PCIAddress]
        /// False when it rests on config space that could not be read.
        public let certain: Bool
        public let message: String
    }

    /// vfioadm's prediction against the kernel's membership.
    public struct CrossCheck: Sendable {
        public enum Status: String, Sendable {
            /// The rules predict exactly the kernel's members.
            case match
            /// They differ on what config space shows.
            case mismatch
            /// They differ only where config space could not be read.
            case undetermined
        }

        public let status: Status
        public let kernel: [PCIAddress]
        public let predicted: [PCIAddress]
        /// Kernel members the rules do not put here.
        public let notPredicted: [PCIAddress]
        /// Predicted members that have no group at all.
        public let ungrouped: [PCIAddress]
        /// Predicted members the kernel put in another group.
        public let elsewhere: [PCIAddress: IOMMUGroupID]
        public let findings: [String]
    }

    /// A finding about the group and the devices it concerns: advice on what would split it (or why
    /// nothing will), or a limitation, something vfioadm could not see, reported rather than fatal.
    public struct Note: Hashable, Sendable {
        public let code: String
        public let devices: [PCIAddress]
        public let message: String
    }

    /// Nil when explaining a device that has no group.
    public let group: IOMMUGroupID?
    /// Kernel members first, then the ones only the rules put here; each in address order.
    public let members: [Member]
    public let crossCheck: CrossCheck
    /// What would split the group, or why nothing will.
    public let split: [Note]
    /// What vfioadm could not see.
    public let limitations: [Note]
    /// Group members that are not PCI functions, which the rules do not cover.
    public let otherMembers: [String]

    /// Explains a kernel group.
    public init(group: IOMMUGroup, formation: GroupFormation) {
        let kernel = group.devices.map(\.address).sorted()
        // The predicted group is the set holding most kernel members (ties: the lowest address).
        let sets = Dictionary(grouping: kernel) { formation.predictedGroup(of: $0) }
        let predicted = sets.max { a, b in
            a.value.count != b.value.count ? a.value.count < b.value.count : a.value[0] > b.value[0]
        }?.key ?? []
        self.init(id: group.id, kernel: kernel, predicted: predicted, otherMembers: group.otherMembers.map(\.name),
                  formation: formation)
    }

    /// Explains a function that has no group: the group the rules would give it.
    public init(ungrouped address: PCIAddress, formation: GroupFormation) {
        self.init(id: nil, kernel: [], predicted: formation.predictedGroup(of: address), otherMembers: [],
                  formation: formation)
    }

    private init(
        id: IOMMUGroupID?, kernel: [PCIAddress], predicted: [PCIAddress], otherMembers: [String],
        formation: GroupFormation
    ) {
        group = id
        self.otherMembers = otherMembers
        let kernelSet = Set(kernel)
        let predictedSet = Set(predicted)
        let links = formation.links(among: predictedSet)
        let topology = formation.topology

        var members: [Member] = []
        for address in kernel + predicted.filter({ !kernelSet.contains($0) }) {
            guard let function = topology.functions[address], let path = formation.paths[address],
                  let check = formation.checks[address]
            else { continue }
            let reasons = predictedSet.contains(address)
                ? GroupReasons.of(address, links: links, formation: formation, alone: predicted.count == 1)
                : [GroupReasons.unexplained(address, formation: formation)]
            members.append(Member(function: function, check: check, path: path, inKernelGroup: kernelSet.contains(address),
                                  predicted: predictedSet.contains(address), reasons: reasons))
        }
        self.members = members

        let notPredicted = kernel.filter { !predictedSet.contains($0) }
        var ungrouped: [PCIAddress] = []
        var elsewhere: [PCIAddress: IOMMUGroupID] = [:]
        for address in predicted where !kernelSet.contains(address) {
            if let other = topology.functions[address]?.device.iommuGroup {
                elsewhere[address] = other
            } else {
                ungrouped.append(address)
            }
        }
        let assumed = !links.allSatisfy(\.certain)
        let status: CrossCheck.Status =
            if notPredicted.isEmpty && ungrouped.isEmpty && elsewhere.isEmpty && otherMembers.isEmpty { .match }
            else if notPredicted.isEmpty && ungrouped.isEmpty && assumed { .undetermined }
            else { .mismatch }
        crossCheck = CrossCheck(
            status: status, kernel: kernel, predicted: predicted, notPredicted: notPredicted, ungrouped: ungrouped,
            elsewhere: elsewhere,
            findings: Self.findings(id: id, status: status, notPredicted: notPredicted, ungrouped: ungrouped,
                                    elsewhere: elsewhere, otherMembers: otherMembers))
        split = SplitAdvice.of(members: members, links: links, notPredicted: notPredicted, otherMembers: otherMembers,
                               formation: formation)
        limitations = Self.limitations(scope: kernelSet.union(predictedSet), formation: formation)
    }

    private static func findings(
        id: IOMMUGroupID?, status: CrossCheck.Status, notPredicted: [PCIAddress], ungrouped: [PCIAddress],
        elsewhere: [PCIAddress: IOMMUGroupID], otherMembers: [String]
    ) -> [String] {
        var findings: [String] = []
        if status == .match {
            findings.append("the kernel's members are exactly the ones its rules predict from config space and topology")
        }
        for address in notPredicted {
            findings.append("the kernel grouped \(address) here for a reason vfioadm cannot see: "
                + "a quirk or an IOMMU-driver rule")
        }
        if !ungrouped.isEmpty {
            let names = GroupReasons.list(ungrouped)
            let one = ungrouped.count == 1
            let attach = "the IOMMU driver has not attached " + (one ? "it" : "them")
                + " (virtio-iommu attaches a device only when a driver first probes it; "
                + "a device outside the IOMMU's scope never gets a group)"
            findings.append(id == nil
                ? "\(names) " + (one ? "has" : "have") + " no IOMMU group: " + attach
                : "by the kernel's rules \(names) " + (one ? "belongs" : "belong") + " here, but "
                    + (one ? "has" : "have") + " no IOMMU group: " + attach)
        }
        for (address, other) in elsewhere.sorted(by: { $0.key < $1.key }) {
            if id == nil {
                findings.append("\(address) is in group \(other); by the kernel's rules the devices without a group "
                    + "would join it once the IOMMU driver attaches them")
                continue
            }
            findings.append(
                "by the kernel's rules \(address) belongs here, but the kernel put it in group \(other)"
                    + (status == .undetermined
                        ? ": config space vfioadm could not read decides it (run as root)"
                        : ": the kernel isolates it for a reason vfioadm cannot see (a quirk or an IOMMU-driver rule)"))
        }
        for name in otherMembers {
            findings.append("the group also holds \(name), which is not a PCI function: vfioadm explains PCI functions only")
        }
        return findings
    }

    private static func limitations(scope: Set<PCIAddress>, formation: GroupFormation) -> [Note] {
        var seen = scope
        for address in scope { seen.formUnion(formation.paths[address]?.hops.map(\.address) ?? []) }
        let functions = seen.sorted().compactMap { formation.topology.functions[$0] }
        var limitations: [Note] = []
        let unreadable = functions.filter { $0.config == nil }
        if !unreadable.isEmpty {
            let problems = unreadable.flatMap { $0.device.problems.filter { $0.path.hasSuffix("/config") } }
            limitations.append(Note(
                code: "config-unreadable", devices: unreadable.map(\.address),
                message: "config space could not be read: "
                    + problems.map(\.description).joined(separator: "; ")
                    + "; the rules assume the worst of these devices"))
        }
        let truncated = functions.filter { $0.config?.isTruncated == true }
        if !truncated.isEmpty {
            let sizes = Set(truncated.compactMap { $0.config?.bytes.count }).sorted().map(String.init)
            limitations.append(Note(
                code: "config-truncated", devices: truncated.map(\.address),
                message: "only the first \(sizes.joined(separator: " or ")) bytes of config space could be read for "
                    + truncated.map(\.address.description).joined(separator: ", ")
                    + ": the kernel shows the rest only to root (CAP_SYS_ADMIN), so their PCIe port types and "
                    + "ACS capabilities are unknown and the rules assume the worst of them; run as root to see them"))
        }
        return limitations
    }
}
