import VFIOCore
import VFIOSysfs

/// Puts a journalled group back as vfioadm found it: each moved member on its
/// original driver with its original `driver_override`, whatever state a
/// crash left it in. Idempotent: members already back cost no write.
struct Restorer {
    let paths: HostPaths
    let reader: SysfsReader

    /// The writes that take `member` from its state now back to the recorded one.
    func writes(for member: Journal.Member) -> [SysfsWrite] {
        let now = reader.device(member.address)
        let address = member.address
        var writes: [SysfsWrite] = []
        var driver = now.driver
        var override = now.driverOverride
        if driver != member.originalDriver, let current = driver {
            writes.append(SysfsWrite(device: address, path: paths.unbind(current), value: address.description))
            driver = nil
        }
        let needsBind = member.originalDriver != nil && driver != member.originalDriver
        if override != nil, override != member.originalOverride || needsBind {
            writes.append(SysfsWrite(device: address, path: paths.driverOverride(address), value: "\n"))
            override = nil
        }
        if needsBind, let original = member.originalDriver {
            writes.append(SysfsWrite(device: address, path: paths.bind(original), value: address.description))
        }
        if let original = member.originalOverride, override != original {
            writes.append(SysfsWrite(device: address, path: paths.driverOverride(address), value: original))
        }
        return writes
    }

    /// Every write a restore would make now, in order (for a dry run).
    func planned(_ journal: Journal) -> [SysfsWrite] {
        journal.members.reversed().filter { $0.target != nil }.flatMap(writes(for:))
    }

    /// Restores every moved member, journalling each write; the journal is removed at the end.
    func restore(_ journal: Journal, with writer: inout JournalledWriter) throws(ClaimError) -> [SysfsWrite] {
        var journal = journal
        journal.phase = .releasing
        journal.writesDone = 0
        try writer.store.save(journal)
        var done: [SysfsWrite] = []
        for member in journal.members.reversed() where member.target != nil {
            for write in writes(for: member) {
                try writer.perform(write, journal: &journal)
                done.append(write)
            }
            let now = reader.device(member.address)
            guard now.driver == member.originalDriver, now.driverOverride == member.originalOverride else {
                throw ClaimError(.failed, code: "restore-mismatch",
                                 "\(member.address) is on \(now.driver?.rawValue ?? "no driver") with driver_override "
                                     + "\(now.driverOverride ?? "(null)") after restoring; it was on "
                                     + "\(member.originalDriver?.rawValue ?? "no driver") with "
                                     + "\(member.originalOverride ?? "(null)")",
                                 path: paths.root.device(member.address), device: member.address.description)
            }
        }
        try writer.store.remove(journal.group)
        return done
    }
}
