import Glibc
import VFIOCore
import VFIOSysfs

/// Claims whole groups for userspace: plans, refuses hazards, then moves the
/// members with a journal synced before each write, verifies every driver link
/// and the kernel's verdict, and undoes everything if any step fails.
public struct Claimer: Sendable {
    public struct Request: Sendable {
        public var groups: [IOMMUGroupID]
        public var driver: DriverChoice
        public var owner: NodeOwner?
        public var dryRun: Bool
        public var force: Bool

        public init(groups: [IOMMUGroupID], driver: DriverChoice = .named(DriverChoice.vfioPCI), owner: NodeOwner? = nil,
                    dryRun: Bool = false, force: Bool = false) {
            self.groups = groups
            self.driver = driver
            self.owner = owner
            self.dryRun = dryRun
            self.force = force
        }
    }

    let paths: HostPaths
    let writer: any AttributeWriter
    let scan: HazardScan
    let afterWrite: (@Sendable (Int) -> Void)?
    /// The kernel's verdict on a group after the writes; tests replace it.
    let viability: any GroupViability
    /// Reports a write that does not return in time; a claim write that was stuck fails the claim.
    let watch: WriteWatch?

    public init(paths: HostPaths, writer: any AttributeWriter = KernelAttributeWriter(), scan: HazardScan? = nil,
                afterWrite: (@Sendable (Int) -> Void)? = nil,
                viability: (any GroupViability)? = nil, watch: WriteWatch? = nil) {
        self.paths = paths
        self.writer = writer
        self.scan = scan ?? HazardScan(paths: paths)
        self.afterWrite = afterWrite
        self.viability = viability ?? KernelViability(root: paths.root)
        self.watch = watch
    }

    private var reader: SysfsReader { SysfsReader(root: paths.root) }
    private var store: JournalStore { JournalStore(paths: paths) }

    public func run(_ request: Request) throws(ClaimError) -> Report {
        let lock = request.dryRun ? nil : try StateLock(paths)
        var writer = JournalledWriter(store: store, writer: self.writer, afterWrite: afterWrite, watch: watch)
        var recovered: [IOMMUGroupID: [SysfsWrite]] = [:]
        if !request.dryRun {
            for group in request.groups {
                if let journal = try store.load(group), journal.phase != .claimed {
                    recovered[group] = try Restorer(paths: paths, reader: reader).restore(journal, with: &writer)
                }
            }
        }
        let planner = ClaimPlanner(paths: paths, choice: request.driver)
        var plans: [(group: IOMMUGroup, plan: GroupPlan)] = []
        for id in request.groups {
            let group = reader.group(id)
            plans.append((group, try planner.plan(group)))
        }
        let staged = zip(plans, scan.hazards(plans)).map { ($0.group, $0.plan, $1) }
        let blocked = staged.contains { _, _, hazards in
            hazards.contains { !$0.overridable || !request.force }
        }
        if blocked || request.dryRun {
            let outcomes = staged.map { group, plan, hazards in
                let refused = hazards.contains { !$0.overridable || !request.force }
                // All or nothing: without --dry-run, every group of a refused claim is refused.
                let result: ClaimOutcome.Result = request.dryRun && !refused ? .planned : .refused
                return ClaimOutcome(group: group.id, result: result,
                                    plan: plan, hazards: hazards, forced: false,
                                    writes: request.dryRun ? plan.writes : [], recovered: recovered[group.id] ?? [],
                                    kernelViable: nil, nodes: [], warnings: resetWarnings(group, plan: plan))
            }
            return Report(groups: outcomes, lockWaitSeconds: lock?.waited ?? 0, dryRun: request.dryRun)
        }

        var outcomes: [ClaimOutcome] = []
        var claimedNow: [IOMMUGroupID] = []
        for (group, plan, hazards) in staged {
            do {
                let (done, viable, nodes) = try execute(plan, owner: request.owner, writer: &writer)
                if !done.isEmpty { claimedNow.append(group.id) }
                outcomes.append(ClaimOutcome(
                    group: group.id, result: done.isEmpty && nodes.isEmpty ? .unchanged : .claimed, plan: plan,
                    hazards: hazards, forced: !hazards.isEmpty, writes: done, recovered: recovered[group.id] ?? [],
                    kernelViable: viable, nodes: nodes, warnings: resetWarnings(group, plan: plan)))
            } catch {
                throw rollBack(error, failed: group.id, earlier: claimedNow, writer: &writer)
            }
        }
        return Report(groups: outcomes, lockWaitSeconds: lock?.waited ?? 0, dryRun: false)
    }

    /// Carries out one group's plan; returns the writes made, the kernel's verdict and the nodes handed over.
    private func execute(_ plan: GroupPlan, owner: NodeOwner?, writer: inout JournalledWriter)
        throws(ClaimError) -> ([SysfsWrite], Bool?, [String])
    {
        let existing = try store.load(plan.group)
        var journal = existing ?? Journal(group: plan.group, pid: getpid(), members: [])
        journal.members = plan.devices.map { device in
            existing?.members.first { $0.address == device.address } ?? Journal.Member(
                address: device.address, originalDriver: device.driver, originalOverride: device.driverOverride,
                target: device.target)
        }
        var done: [SysfsWrite] = []
        if !plan.writes.isEmpty {
            journal.phase = .claiming
            journal.writesDone = 0
            try store.save(journal)
            for device in plan.devices where device.action == .bind {
                for write in device.writes {
                    try writer.perform(write, journal: &journal, failIfStuck: true)
                    done.append(write)
                }
                try verify(device)
            }
        }
        let viable: Bool? = done.isEmpty ? nil : try viability.isViable(plan.group)
        if viable == false {
            throw ClaimError(.failed, code: "kernel-not-viable",
                             "the kernel reports group \(plan.group) not viable after the claim "
                                 + "(VFIO_GROUP_GET_STATUS on \(paths.root.groupNode(plan.group))): a member is back on a "
                                 + "kernel DMA driver", path: paths.root.groupNode(plan.group))
        }
        var nodes: [String] = []
        if let owner {
            let members = reader.group(plan.group).devices
            nodes = try NodeOwnership(paths: paths).apply(owner, group: plan.group, members: members, journal: &journal)
        }
        guard !done.isEmpty || !nodes.isEmpty else { return (done, viable, nodes) }
        journal.phase = .claimed
        journal.pending = nil
        try store.save(journal)
        return (done, viable, nodes)
    }

    /// Members that move whose only reset is a bus reset that also resets devices outside the group.
    ///
    /// The corresponding files are each member's `reset_method` and the functions on its bus.
    private func resetWarnings(_ group: IOMMUGroup, plan: GroupPlan) -> [String] {
        let members = Set(group.devices.map(\.address))
        return plan.devices.filter { $0.action == .bind }.compactMap { device in
            let lifecycle = DeviceLifecycle.read(device.address, reader: reader)
            guard lifecycle.onlyBusResetBeyond(members) else { return nil }
            let others = lifecycle.busResetAlsoResets.filter { !members.contains($0) }
            return "\(device.address) has no reset of its own: its only reset, a secondary bus reset, also resets "
                + others.map(\.description).joined(separator: ", ") + ", outside group \(group.id); a VM reset of it "
                + "needs them all held by the same user (VFIO_DEVICE_PCI_HOT_RESET), or fails"
        }
    }

    /// The driver link after `drivers_probe` must name the target.
    private func verify(_ device: DevicePlan) throws(ClaimError) {
        let now = reader.device(device.address)
        guard let target = device.target, now.driver != target else { return }
        let probe = paths.root.driversProbe
        throw ClaimError(.failed, code: "bind-failed",
                         "\(device.address): \(target) did not take it after the write to \(probe) (driver is "
                             + "\(now.driver?.rawValue ?? "none")); the kernel reports probe failures there as EINVAL "
                             + "and logs the reason in dmesg",
                         path: paths.root.device(device.address) + "/driver", device: device.address.description)
    }

    /// Undoes the failed group and every group this run claimed, newest first.
    private func rollBack(_ failure: ClaimError, failed: IOMMUGroupID, earlier: [IOMMUGroupID],
                          writer: inout JournalledWriter) -> ClaimError {
        let restorer = Restorer(paths: paths, reader: reader)
        var restored: [String] = []
        for group in [failed] + earlier.reversed() {
            do {
                guard let journal = try store.load(group) else { continue }
                if let owner = journal.owner, !owner.isEmpty { try NodeOwnership(paths: paths).restore(journal.nodes) }
                _ = try restorer.restore(journal, with: &writer)
                restored.append("group \(group)")
            } catch {
                return failure.rolledBack("rolling back group \(group) failed too: \(error.message); its journal "
                    + "\(paths.journal(group)) is kept: run vfioadm release \(group)")
            }
        }
        return failure.rolledBack(restored.isEmpty ? "nothing had been changed"
            : "rolled back: \(restored.joined(separator: ", ")) are as they were")
    }
}
