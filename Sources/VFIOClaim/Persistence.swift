import VFIOCore
import VFIOSysfs

/// `claim --persist` and `release --persist`: records a held group as a
/// persistent claim, or forgets it.
public struct Persistence: Sendable {
    let paths: HostPaths

    public init(paths: HostPaths) {
        self.paths = paths
    }

    /// The entry that records `group` as it is now: every PCI member by address
    /// and identity, with the driver and owner of the claim.
    ///
    /// The corresponding files are each member's IDs and `config` (DSN).
    public func entry(for group: IOMMUGroupID, driver: String, owner: NodeOwner?) -> PersistentClaim {
        let reader = SysfsReader(root: paths.root)
        let members = reader.group(group).devices.compactMap { PersistentClaim.Member($0, root: paths.root) }
        return PersistentClaim(driver: driver, owner: owner.map { "\($0.uid):\($0.gid)" }, members: members)
    }

    /// Writes the entries of held groups and marks their journals persistent; returns the files written
    /// (an entry already recorded as it is now is not written again, so a repeated `claim --persist` lists none).
    public func record(_ groups: [IOMMUGroupID], driver: String, owner: NodeOwner?) throws(ClaimError) -> [String] {
        let config = ClaimConfig(paths: paths)
        var files: [String] = []
        for group in groups {
            let entry = entry(for: group, driver: driver, owner: owner)
            if try config.save(entry) { files.append(paths.claim(entry.name)) }
            try markPersistent(group)
        }
        return files
    }

    /// Removes the entries that list a member of the groups; returns the files removed.
    public func forget(_ groups: [IOMMUGroupID]) throws(ClaimError) -> [String] {
        let reader = SysfsReader(root: paths.root)
        let config = ClaimConfig(paths: paths)
        var files: [String] = []
        for group in groups {
            for device in reader.group(group).devices {
                if let name = try config.remove(listing: device.address) { files.append(paths.claim(name)) }
            }
        }
        return files
    }

    /// Records (count > 0) or forgets a PF's VF count; forgetting it also
    /// forgets the claims of the VFs it had, at `vfs`.
    public func recordVFs(_ pf: PCIAddress, count: Int, vfs: [PCIAddress]) throws(ClaimError) -> [String] {
        let config = ClaimConfig(paths: paths)
        let reader = SysfsReader(root: paths.root)
        if count > 0, let member = PersistentClaim.Member(reader.device(pf), root: paths.root) {
            try config.save(PersistentVFs(pf: member, count: count))
            return [paths.sriovEntry(pf.description)]
        }
        try config.removeVFCount(pf)
        var files = [paths.sriovEntry(pf.description)]
        for vf in vfs { if let name = try config.remove(listing: vf) { files.append(paths.claim(name)) } }
        return files
    }

    /// Marks a held group's journal as coming from a persistent claim.
    func markPersistent(_ group: IOMMUGroupID) throws(ClaimError) {
        let store = JournalStore(paths: paths)
        guard var journal = try store.load(group), journal.persistent != true else { return }
        journal.persistent = true
        try store.save(journal)
    }
}
