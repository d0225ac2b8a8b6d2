import LinuxSystem
import VFIOCore
import VFIOSysfs

/// How a persistent claim compares with the host now: whether every device is
/// still at its address with the same identity, and the group the same.
public struct EntryCheck: Sendable {
    public let entry: PersistentClaim
    /// The group of the entry's devices now, when they share one.
    public let group: IOMMUGroupID?
    /// Why the entry cannot be applied as written; empty when the host matches it.
    public let mismatches: [String]

    /// The corresponding files are each member's IDs and `config` (DSN),
    /// its `iommu_group` link, and the group's `devices/`.
    public init(_ entry: PersistentClaim, reader: SysfsReader) {
        self.entry = entry
        var mismatches: [String] = []
        var groups = Set<IOMMUGroupID>()
        for member in entry.members {
            guard reader.deviceExists(member.address) else {
                mismatches.append("\(member.address) is gone (\(reader.root.device(member.address)) does not exist)")
                continue
            }
            let device = reader.device(member.address)
            if let problem = Self.identityProblem(member, device, root: reader.root) { mismatches.append(problem) }
            if let group = device.iommuGroup { groups.insert(group) } else {
                mismatches.append("\(member.address) has no IOMMU group")
            }
        }
        if groups.count > 1 {
            mismatches.append("the devices are now in groups \(groups.sorted().map(\.description).joined(separator: ", ")), "
                + "not one")
        }
        group = groups.count == 1 ? groups.first : nil
        if let group, mismatches.isEmpty {
            let recorded = Set(entry.members.map(\.address))
            for device in reader.group(group).devices where !recorded.contains(device.address) {
                mismatches.append("group \(group) now has \(device.address), which was not in it when the entry was "
                    + "written")
            }
            for other in reader.group(group).otherMembers {
                mismatches.append("group \(group) now has \(other.name), which was not in it when the entry was written")
            }
        }
        self.mismatches = mismatches
    }

    public var matches: Bool { mismatches.isEmpty }

    /// Why the device at a recorded address is not the one recorded, nil when it is.
    static func identityProblem(_ member: PersistentClaim.Member, _ device: PCIDevice, root: HostRoot) -> String? {
        guard let now = PersistentClaim.Member(device, root: root) else {
            return "\(member.address): its vendor and device IDs are unreadable"
        }
        let same = now.vendor == member.vendor && now.device == member.device
            && now.subsystemVendor == member.subsystemVendor && now.subsystemDevice == member.subsystemDevice
            && (member.serial == nil || now.serial == member.serial)
        return same ? nil : "\(member.address) is now \(now.identity), not \(member.identity) as recorded"
    }
}
