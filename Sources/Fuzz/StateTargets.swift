import LinuxSystem
import VFIOClaim
import VFIOSysfs

extension FuzzTarget {
    /// vfioadm's own files, which anyone who can write the directories can edit.
    static let stateTargets: [FuzzTarget] = [
        // A journal of group 9, checked against the captured `intel` tree (Scripts/fuzz runs from the repository).
        FuzzTarget(name: "journal") { bytes in
            _ = try? journalStore.journal(parsing: text(bytes), path: "group-9.json",
                                          group: IOMMUGroupID(rawValue: 9))
        },
        FuzzTarget(name: "persistent-claim") { bytes in
            _ = try? PersistentClaim.parse(text(bytes), file: "claims/0000:02:00.0.conf")
        },
        FuzzTarget(name: "persistent-vfs") { bytes in
            _ = try? PersistentVFs.parse(text(bytes), file: "sriov/0000:00:07.0.conf")
        },
    ]

    private static let journalStore = JournalStore(paths: HostPaths(root: HostRoot("Tests/Fixtures/intel", dev: "/")))
}
