import LinuxSystem
import VFIOSysfs

/// What `vfioadm explain` reports: every member of a group with its path to
/// the root complex and the reasons it is there, the rules' prediction
/// against the kernel's membership, and what would split the group.
struct ExplainReport: Encodable, Sendable {
    /// The argument as given, canonicalised: `group 9` or `0000:03:01.0`.
    let target: String
    let explanation: GroupExplanation
    /// Names for the members' IDs from `pci.ids`; nil when there is no database.
    let names: PCIIDs?

    init(target: Target, explanation: GroupExplanation, root: HostRoot) {
        self.target = target.description
        self.explanation = explanation
        names = PCIIDs.forDevices([explanation.members.map(\.function.device)], root: root)
    }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion, target, group, members, otherMembers, crossCheck, split, limitations
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .schemaVersion)
        try container.encode(target, forKey: .target)
        // Nil when the device named has no group.
        try container.encodeIfPresent(explanation.group, forKey: .group)
        var members = container.nestedUnkeyedContainer(forKey: .members)
        for member in explanation.members { try members.encode(GroupExplanation.Member.JSON(value: member, names: names)) }
        try container.encode(explanation.otherMembers, forKey: .otherMembers)
        try container.encode(explanation.crossCheck, as: GroupExplanation.CrossCheck.JSON.self, forKey: .crossCheck)
        try container.encode(explanation.split, as: GroupExplanation.Note.JSON.self, forKey: .split)
        try container.encode(explanation.limitations, as: GroupExplanation.Note.JSON.self, forKey: .limitations)
    }
}
