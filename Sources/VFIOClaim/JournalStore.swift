import Glibc
import FoundationEssentials
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The journals under the state directory, one `group-N.json` per group.
/// Every save is durable before it returns (`FileSystem.replace`).
public struct JournalStore: Sendable {
    let paths: HostPaths

    public init(paths: HostPaths) {
        self.paths = paths
    }

    /// The group's journal, nil when there is none.
    ///
    /// The corresponding file is `STATE/group-N.json`.
    public func load(_ group: IOMMUGroupID) throws(ClaimError) -> Journal? {
        let path = paths.journal(group)
        switch FileSystem.readText(path, limit: 1 << 20, followingLinks: false) {
        case .failure(let errno) where errno.rawValue == ENOENT:
            return nil
        case .failure(let errno):
            throw ClaimError(errno.rawValue == EACCES ? .permission : .failed, code: "journal-read",
                             "cannot read the journal \(path): \(errno)", path: path, errno: errno)
        case .success(let text):
            return try journal(parsing: text, path: path, group: group)
        }
    }

    /// A journal's text decoded and checked, as `load` reads it from `path`.
    package func journal(parsing text: String, path: String, group: IOMMUGroupID) throws(ClaimError) -> Journal {
        let journal: Journal
        do {
            journal = try JSONDecoder().decode(Journal.self, from: Data(text.utf8))
        } catch {
            throw ClaimError(.failed, code: "journal-corrupt",
                             "the journal \(path) does not parse (\(error)); move it aside and run release, "
                                 + "which then resets the group without it",
                             path: path, errno: Errno(rawValue: EINVAL))
        }
        if let problem = problem(in: journal, group: group) {
            throw ClaimError(.failed, code: "journal-invalid",
                             "the journal \(path) \(problem): vfioadm follows none of it; move it aside and run "
                                 + "release, which then resets the group without it", path: path,
                             errno: Errno(rawValue: EINVAL))
        }
        return journal
    }

    /// What makes a journal untrustworthy: another group's number, a member
    /// that is in another group now, an override or node that is not what
    /// vfioadm writes. (Driver names are checked as they are decoded.)
    ///
    /// The corresponding links are each member's `iommu_group`.
    private func problem(in journal: Journal, group: IOMMUGroupID) -> String? {
        guard journal.group == group else { return "is named for group \(group) but records group \(journal.group)" }
        let reader = SysfsReader(root: paths.root)
        for member in journal.members {
            if reader.deviceExists(member.address), let now = reader.device(member.address).iommuGroup, now != group {
                return "names \(member.address), which is in group \(now), not \(group)"
            }
            if let override = member.originalOverride, DriverName(rawValue: override) == nil {
                return "records driver_override \(override.debugDescription) for \(member.address), which is not a driver name"
            }
        }
        let nodes = [paths.root.iommu, paths.root.groupNode(group), paths.root.groupNode(group, noIOMMU: true)]
        let cdevs = paths.root.vfioDevices + "/vfio"
        for node in journal.nodes where !nodes.contains(node.path) {
            let number = node.path.hasPrefix(cdevs) ? node.path.dropFirst(cdevs.count) : ""
            guard number.isEmpty || !number.allSatisfy(\.isNumber) else { continue }
            return "records the node \(node.path), which is not one vfioadm hands over"
        }
        return nil
    }

    /// Every journal in the state directory, by group.
    public func all() throws(ClaimError) -> [Journal] {
        let names: [String]
        switch FileSystem.list(paths.state) {
        case .success(let list): names = list
        case .failure(let errno) where errno.rawValue == ENOENT: return []
        case .failure(let errno):
            throw ClaimError(errno.rawValue == EACCES ? .permission : .failed, code: "journal-read",
                             "cannot read the state directory \(paths.state): \(errno)", path: paths.state, errno: errno)
        }
        var journals: [Journal] = []
        for name in names where name.hasPrefix("group-") && name.hasSuffix(".json") {
            guard let group = IOMMUGroupID(name.dropFirst(6).dropLast(5)) else { continue }
            if let journal = try load(group) { journals.append(journal) }
        }
        return journals
    }

    /// Writes the journal durably.
    ///
    /// The corresponding files are `STATE/group-N.json` and its `.tmp` sibling.
    public func save(_ journal: Journal) throws(ClaimError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(journal) } catch {
            throw ClaimError(.failed, code: "journal-encode", "cannot encode the journal of group \(journal.group): \(error)")
        }
        try FileSystem.replace(paths.journal(journal.group), with: Array(data), mode: 0o600)
            .claimed(code: "journal-write", "cannot write the journal")
    }

    /// Removes the group's journal, durably.
    public func remove(_ group: IOMMUGroupID) throws(ClaimError) {
        try FileSystem.removeDurably(paths.journal(group)).claimed(code: "journal-write", "cannot write the journal")
    }
}
