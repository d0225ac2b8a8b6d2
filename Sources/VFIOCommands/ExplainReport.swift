import LinuxSystem
import VFIOSysfs

/// What `vfioadm explain` reports: every member of a group with its path to
/// the root complex and the reasons it is there, the rules' prediction
/// against the kernel's membership, and what would split the group.
struct ExplainReport: Encodable, Sendable {
    /// A function's ACS as the kernel's rule (`pci_acs_enabled`) reads it.
    struct ACS: Encodable, Sendable {
        /// Offset of the ACS extended capability, when it has one.
        let offset: String?
        let implemented: ACSFlags?
        let enabled: ACSFlags?
        /// `acs-enabled`, `acs-not-required`, `quirk`, `acs-flags-off`, `no-acs-capability`, `never-isolates`, `unreadable`.
        let check: String
        /// Nil when config space did not say.
        let isolates: Bool?
        /// The needed flags (SV RR CR UF) that are off.
        let missing: ACSFlags?
        let quirk: String?
        let summary: String

        init(_ check: ACSCheck, _ acs: ConfigLookup<ACSCapability>) {
            offset = acs.value.map { "0x" + zeroPaddedHex($0.offset, 3) }
            implemented = acs.value?.implemented
            enabled = acs.value?.enabled
            self.check = check.code
            isolates = check.isolates
            if case .flagsOff(let flags) = check { missing = flags } else { missing = nil }
            if case .quirk(let quirk) = check { self.quirk = quirk.kernelName } else { quirk = nil }
            summary = check.summary(acs)
        }
    }

    /// One bridge between a member and the root complex.
    struct Hop: Encodable, Sendable {
        let address: PCIAddress
        let kind: FunctionKind
        let headerType: String?
        let acs: ACS
        /// Whether DMA from below carries this bridge's requester ID; nil when its kind is unreadable.
        let aliases: Bool?
        let requesterID: String?

        init(_ hop: BridgeHop) {
            address = hop.address
            kind = hop.kind
            headerType = hop.headerType.map { "0x" + zeroPaddedHex($0, 2) }
            acs = ACS(hop.check, hop.acs)
            aliases = hop.aliases
            requesterID = hop.requesterID
        }
    }

    struct Reason: Encodable, Sendable {
        let code: String
        let peers: [PCIAddress]
        let certain: Bool
        let message: String
    }

    struct ConfigBytes: Encodable, Sendable {
        /// Bytes that could be read (64 for a non-root reader).
        let readable: Int
        /// The size of the device's config space (256 or 4096).
        let size: Int
    }

    struct Member: Encodable, Sendable {
        let address: PCIAddress
        /// `1234:11e8`, `????` for what could not be read.
        let ids: String
        let vendor: NamedID?
        let device: NamedID?
        let kind: FunctionKind
        let headerType: String?
        let multifunction: Bool
        let config: ConfigBytes?
        let acs: ACS
        let iommuGroup: IOMMUGroupID?
        let inKernelGroup: Bool
        let predicted: Bool
        /// Nearest bridge first; empty on a root bus.
        let path: [Hop]
        /// The nearest bridge that does not isolate (or could not be read).
        let firstBreak: PCIAddress?
        let reasons: [Reason]

        init(_ member: GroupExplanation.Member, names: PCIIDs?) {
            let device = DeviceReport(member.function.device, names: names)
            address = member.address
            ids = device.ids
            vendor = device.vendor
            self.device = device.device
            kind = member.function.kind
            headerType = device.headerType
            multifunction = member.function.isMultifunction
            config = member.function.config.map { ConfigBytes(readable: $0.bytes.count, size: $0.size) }
            acs = ACS(member.check, member.function.acs)
            iommuGroup = member.function.device.iommuGroup
            inKernelGroup = member.inKernelGroup
            predicted = member.predicted
            path = member.path.hops.map(Hop.init)
            firstBreak = member.path.firstBreak?.address
            reasons = member.reasons.map { Reason(code: $0.code, peers: $0.peers, certain: $0.certain, message: $0.message) }
        }
    }

    struct Elsewhere: Encodable, Sendable {
        let device: PCIAddress
        let group: IOMMUGroupID
    }

    struct CrossCheck: Encodable, Sendable {
        let status: GroupExplanation.CrossCheck.Status
        let kernel: [PCIAddress]
        let predicted: [PCIAddress]
        let notPredicted: [PCIAddress]
        let ungrouped: [PCIAddress]
        let elsewhere: [Elsewhere]
        let findings: [String]
    }

    struct Note: Encodable, Sendable {
        let code: String
        let devices: [PCIAddress]
        let message: String
    }

    let schemaVersion = 1
    /// The argument as given, canonicalised: `group 9` or `0000:03:01.0`.
    let target: String
    /// Nil when the device named has no group.
    let group: IOMMUGroupID?
    let members: [Member]
    let otherMembers: [String]
    let crossCheck: CrossCheck
    let split: [Note]
    let limitations: [Note]

    init(target: Target, explanation: GroupExplanation, root: HostRoot) {
        self.target = target.description
        group = explanation.group
        let names = PCIIDs.forDevices([explanation.members.map(\.function.device)], root: root)
        members = explanation.members.map { Member($0, names: names) }
        otherMembers = explanation.otherMembers
        let check = explanation.crossCheck
        crossCheck = CrossCheck(
            status: check.status, kernel: check.kernel, predicted: check.predicted, notPredicted: check.notPredicted,
            ungrouped: check.ungrouped,
            elsewhere: check.elsewhere.sorted { $0.key < $1.key }.map { Elsewhere(device: $0.key, group: $0.value) },
            findings: check.findings)
        split = explanation.split.map { Note(code: $0.code, devices: $0.devices, message: $0.message) }
        limitations = explanation.limitations.map { Note(code: $0.code, devices: $0.devices, message: $0.message) }
    }
}
