import LinuxSystem
import VFIOSysfs

/// What `vfioadm explain` reports: every member of a group with its path to
/// the root complex and the reasons it is there, the rules' prediction
/// against the kernel's membership, and what would split the group.
struct ExplainReport: Encodable, Sendable {
    let schemaVersion = 1
    /// The argument as given, canonicalised: `group 9` or `0000:03:01.0`.
    let target: String
    /// Nil when the device named has no group.
    let group: IOMMUGroupID?
    /// Each with its names from `pci.ids` (nil when there is no database).
    let members: [GroupExplanation.Member.JSON]
    let otherMembers: [String]
    let crossCheck: GroupExplanation.CrossCheck.JSON
    let split: [GroupExplanation.Note.JSON]
    let limitations: [GroupExplanation.Note.JSON]

    init(target: Target, explanation: GroupExplanation, root: HostRoot) {
        self.target = target.description
        group = explanation.group
        let names = PCIIDs.forDevices([explanation.members.map(\.function.device)], root: root)
        members = explanation.members.map { GroupExplanation.Member.JSON(value: $0, names: names) }
        otherMembers = explanation.otherMembers
        crossCheck = GroupExplanation.CrossCheck.JSON(value: explanation.crossCheck)
        split = explanation.split.map(GroupExplanation.Note.JSON.init)
        limitations = explanation.limitations.map(GroupExplanation.Note.JSON.init)
    }
}
