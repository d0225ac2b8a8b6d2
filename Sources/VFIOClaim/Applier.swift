import VFIOCore
import VFIOSysfs

/// Converges the host to the persistent claims: claims each listed group that
/// is not held, releases each group held from a persistent claim whose entry is
/// gone, and touches nothing else. An entry whose devices are not what was
/// recorded, whose group changed, or whose claim a hazard refuses (a mount,
/// the root file system, the console, the default route...) is skipped with
/// the reason; `--force` does not exist here.
public struct Applier: Sendable {
    public enum Action: String, Sendable {
        case claimed, released, unchanged, skipped
        /// A persistent VF count was set (`CONFIG/sriov`).
        case configured
    }

    /// What apply did, or would do, for one entry or held group.
    public struct Outcome: Sendable {
        /// The entry's name (its first device), nil for a held group with no entry.
        public let entry: String?
        public let group: IOMMUGroupID?
        public let action: Action
        public let reason: String?
        public let writes: [SysfsWrite]
        public let hazards: [Hazard]
    }

    public struct Report: Sendable {
        public let changed: Bool
        public let dryRun: Bool
        public let boot: Bool
        public let groups: [Outcome]

        public var skipped: Bool { groups.contains { $0.action == .skipped } }
    }

    let paths: HostPaths
    let writer: any AttributeWriter
    let scan: HazardScan
    let viability: (any GroupViability)?
    let watch: WriteWatch?

    public init(paths: HostPaths, writer: any AttributeWriter = KernelAttributeWriter(), scan: HazardScan? = nil,
                viability: (any GroupViability)? = nil, watch: WriteWatch? = nil) {
        self.paths = paths
        self.writer = writer
        self.scan = scan ?? HazardScan(paths: paths)
        self.viability = viability
        self.watch = watch
    }

    private var reader: SysfsReader { SysfsReader(root: paths.root) }

    /// With `boot`, a skipped entry's devices that the udev rule kept from
    /// their driver get it back, and the skips are recorded for `status`.
    public func run(dryRun: Bool, boot: Bool) throws(ClaimError) -> Report {
        try StateDirectory.verify(paths)
        let config = ClaimConfig(paths: paths)
        let entries = try config.entries()
        let counts = try config.vfCounts()
        let journals = try JournalStore(paths: paths).all()
        // VF counts first: the VFs must exist before their groups' entries are applied.
        var outcomes = try counts.map { (count) throws(ClaimError) in try apply(count, dryRun: dryRun) }
        for entry in entries {
            var outcome = try apply(entry, journals: journals, dryRun: dryRun)
            if boot, !dryRun, outcome.action == .skipped {
                let given = try giveBack(entry)
                outcome = Outcome(entry: outcome.entry, group: outcome.group, action: .skipped, reason: outcome.reason,
                                  writes: given, hazards: outcome.hazards)
            }
            outcomes.append(outcome)
        }
        for journal in journals where journal.persistent == true {
            let listed = entries.contains { entry in journal.members.allSatisfy { member in
                entry.members.contains { $0.address == member.address } } }
            guard !listed else { continue }
            outcomes.append(try release(journal, dryRun: dryRun))
        }
        if !dryRun { try record(outcomes, boot: boot) }
        let changed = outcomes.contains { $0.action != .unchanged && $0.action != .skipped && !$0.writes.isEmpty }
        return Report(changed: changed, dryRun: dryRun, boot: boot, groups: outcomes)
    }

    private func apply(_ entry: PersistentClaim, journals: [Journal], dryRun: Bool) throws(ClaimError) -> Outcome {
        let check = EntryCheck(entry, reader: reader)
        guard check.matches, let group = check.group else {
            return Outcome(entry: entry.name, group: check.group, action: .skipped,
                           reason: check.mismatches.joined(separator: "; "), writes: [], hazards: [])
        }
        if let journal = journals.first(where: { $0.group == group }), isHeld(journal, entry: entry) {
            // Held by a claim made without --persist: from now on the entry owns it.
            if !dryRun, journal.persistent != true { try Persistence(paths: paths).markPersistent(group) }
            return Outcome(entry: entry.name, group: group, action: .unchanged, reason: nil, writes: [], hazards: [])
        }
        guard let driver = DriverChoice(entry.driver) else {
            return Outcome(entry: entry.name, group: group, action: .skipped, reason: "driver \(entry.driver) is not usable",
                           writes: [], hazards: [])
        }
        let owner = entry.owner.flatMap { try? NodeOwner.resolve($0).get() }
        let claimer = Claimer(paths: paths, writer: writer, scan: scan, viability: viability, watch: watch)
        let report: Claimer.Report
        do {
            report = try claimer.run(.init(groups: [group], driver: driver, owner: owner, dryRun: dryRun, force: false))
        } catch {
            return Outcome(entry: entry.name, group: group, action: .skipped, reason: "the claim failed: \(error.message)",
                           writes: [], hazards: [])
        }
        guard let result = report.groups.first else {
            return Outcome(entry: entry.name, group: group, action: .skipped, reason: "nothing to claim", writes: [],
                           hazards: [])
        }
        if result.result == .refused || (dryRun && !result.hazards.isEmpty) {
            return Outcome(entry: entry.name, group: group, action: .skipped,
                           reason: "refused: " + result.hazards.map(\.message).joined(separator: "; "), writes: [],
                           hazards: result.hazards)
        }
        if !dryRun { try Persistence(paths: paths).markPersistent(group) }
        let writes = result.writes
        return Outcome(entry: entry.name, group: group, action: writes.isEmpty && result.nodes.isEmpty ? .unchanged : .claimed,
                       reason: nil, writes: writes, hazards: [])
    }

    /// Sets a PF's VF count as recorded, unless the PF is not the one recorded
    /// or one of its VFs is held or in use.
    private func apply(_ entry: PersistentVFs, dryRun: Bool) throws(ClaimError) -> Outcome {
        let name = "sriov/" + entry.name
        func skip(_ reason: String, _ hazards: [Hazard] = []) -> Outcome {
            Outcome(entry: name, group: nil, action: .skipped, reason: reason, writes: [], hazards: hazards)
        }
        guard reader.deviceExists(entry.pf.address) else {
            return skip("\(entry.pf.address) is gone (\(paths.root.device(entry.pf.address)) does not exist)")
        }
        if let problem = EntryCheck.identityProblem(entry.pf, reader.device(entry.pf.address), root: paths.root) {
            return skip(problem)
        }
        guard let pf = PhysicalFunction.read(entry.pf.address, reader: reader) else {
            return skip("\(entry.pf.address) has no SR-IOV capability")
        }
        let setter = VFCount(paths: paths, writer: writer, scan: scan)
        let writes: [SysfsWrite]
        do { writes = try setter.plan(pf, count: entry.count) } catch { return skip(error.message) }
        guard !writes.isEmpty else {
            return Outcome(entry: name, group: pf.group, action: .unchanged, reason: nil, writes: [], hazards: [])
        }
        let blockers = pf.numVFs > 0 ? try setter.blockers(pf) : []
        guard blockers.isEmpty else {
            return skip("its VFs are in use: " + blockers.map(\.message).joined(separator: "; "), blockers)
        }
        if !dryRun { try setter.apply(writes) }
        return Outcome(entry: name, group: pf.group, action: .configured, reason: nil, writes: writes, hazards: [])
    }

    /// A journal of a finished claim whose members are all on their targets, with the entry's owner.
    private func isHeld(_ journal: Journal, entry: PersistentClaim) -> Bool {
        guard journal.phase == .claimed, journal.owner == entry.owner || entry.owner == nil else { return false }
        return journal.members.allSatisfy { member in
            member.target.map { reader.device(member.address).driver == $0 } ?? true
        }
    }

    private func release(_ journal: Journal, dryRun: Bool) throws(ClaimError) -> Outcome {
        guard !dryRun else {
            return Outcome(entry: nil, group: journal.group, action: .released, reason: "its entry is gone",
                           writes: Restorer(paths: paths, reader: reader).planned(journal), hazards: [])
        }
        let releaser = Releaser(paths: paths, writer: writer, watch: watch)
        let report = try releaser.run(groups: [journal.group], force: false)
        guard let outcome = report.groups.first, outcome.result != .refused else {
            return Outcome(entry: nil, group: journal.group, action: .skipped,
                           reason: "its entry is gone but it is in use: "
                               + (report.groups.first?.hazards.map(\.message).joined(separator: "; ") ?? ""),
                           writes: [], hazards: report.groups.first?.hazards ?? [])
        }
        return Outcome(entry: nil, group: journal.group, action: .released, reason: "its entry is gone",
                       writes: outcome.writes, hazards: [])
    }

    /// Undoes what the udev rule did for a skipped entry: a device the rule kept
    /// from its driver (override set to the entry's driver, nothing bound, no
    /// journal) gets the override cleared and is reprobed, so the host keeps it.
    ///
    /// The corresponding files are `driver_override` and `/sys/bus/pci/drivers_probe`.
    private func giveBack(_ entry: PersistentClaim) throws(ClaimError) -> [SysfsWrite] {
        let override = entry.heldDriver
        var writes: [SysfsWrite] = []
        for member in entry.members where reader.deviceExists(member.address) {
            let device = reader.device(member.address)
            guard device.driverOverride == override, device.driver?.isVFIO != true,
                  EntryCheck.identityProblem(member, device, root: paths.root) == nil
            else { continue }
            var steps = [SysfsWrite(device: member.address, path: paths.driverOverride(member.address), value: "\n")]
            if device.driver == nil {
                steps.append(SysfsWrite(device: member.address, path: paths.root.driversProbe,
                                        value: member.address.description))
            }
            writes += try writer.performAll(steps, probe: paths.root.driversProbe)
        }
        return writes
    }

    /// What was skipped and why, for `status`.
    ///
    /// The corresponding file is `STATE/apply.json`.
    private func record(_ outcomes: [Outcome], boot: Bool) throws(ClaimError) {
        let skipped = outcomes.filter { $0.action == .skipped }
        let record = ApplyRecord(boot: boot, skipped: skipped.map { ApplyRecord.Skip(entry: $0.entry, group: $0.group,
                                                                                      reason: $0.reason ?? "") })
        try ApplyRecord.save(record, paths: paths)
    }
}
