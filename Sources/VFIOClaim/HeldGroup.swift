import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// A group vfioadm holds, from its journal, checked against sysfs now.
public struct HeldGroup: Sendable {
    public struct Member: Sendable {
        public let address: PCIAddress
        public let originalDriver: DriverName?
        public let originalOverride: String?
        /// Where the claim put it; nil for members left as they were.
        public let target: DriverName?
        /// The driver now; nil when unbound or gone.
        public let driver: DriverName?
        public let driverOverride: String?
    }

    public let group: IOMMUGroupID
    public let phase: Journal.Phase
    /// The process that last wrote the journal.
    public let pid: Int32
    public let members: [Member]
    public let owner: String?
    /// The write the journal recorded as about to be made and not yet done:
    /// a crash, or a write still blocked in the kernel.
    public let pending: SysfsWrite?
    /// Differences between the journal and sysfs: a member rebound by someone else, an interrupted claim.
    public let drift: [String]

    public var consistent: Bool { drift.isEmpty }
}

/// `vfioadm status`: every journal in the state directory, checked against sysfs.
public struct ClaimStatus: Sendable {
    let paths: HostPaths

    public init(paths: HostPaths) {
        self.paths = paths
    }

    public func held() throws(ClaimError) -> [HeldGroup] {
        try StateDirectory.verify(paths)
        let reader = SysfsReader(root: paths.root)
        return try JournalStore(paths: paths).all().sorted { $0.group < $1.group }.map { journal in
            var drift: [String] = []
            if journal.phase != .claimed, let write = journal.pending, isRunningVFIOAdm(journal.pid) {
                drift.append("\(journal.phase.rawValue) by pid \(journal.pid), still running: its write \(write) "
                    + "has not returned; the kernel is waiting in the driver (see that process's stderr)")
            } else if journal.phase != .claimed {
                let pending = journal.pending.map { ", stopped before: \($0)" } ?? ""
                drift.append("interrupted while \(journal.phase.rawValue) by pid \(journal.pid) after "
                    + "\(journal.writesDone) writes\(pending): run vfioadm release \(journal.group) to put it back, "
                    + "or vfioadm claim \(journal.group) to claim it afresh")
            }
            let members = journal.members.map { member in
                let exists = reader.deviceExists(member.address)
                let now = exists ? reader.device(member.address) : PCIDevice(address: member.address)
                if !exists {
                    drift.append("\(member.address) is gone (\(paths.root.device(member.address)) does not exist)")
                } else if journal.phase == .claimed, let target = member.target, now.driver != target {
                    drift.append("\(member.address) is on \(now.driver?.rawValue ?? "no driver"), not \(target): "
                        + "rebound by someone else since the claim")
                } else if journal.phase == .claimed, member.target == nil, now.driver != member.originalDriver {
                    drift.append("\(member.address) was left on \(member.originalDriver?.rawValue ?? "no driver") "
                        + "and is now on \(now.driver?.rawValue ?? "no driver")")
                }
                return HeldGroup.Member(address: member.address, originalDriver: member.originalDriver,
                                        originalOverride: member.originalOverride, target: member.target,
                                        driver: now.driver, driverOverride: now.driverOverride)
            }
            return HeldGroup(group: journal.group, phase: journal.phase, pid: journal.pid, members: members,
                             owner: journal.owner, pending: journal.pending, drift: drift)
        }
    }

    /// Whether `pid` is a live vfioadm (a claim or release still at work, not a crash).
    ///
    /// The corresponding file is `/proc/PID/comm`.
    private func isRunningVFIOAdm(_ pid: Int32) -> Bool {
        guard pid != getpid(), case .success(let command) = FileSystem.readText(paths.root.proc + "/\(pid)/comm") else { return false }
        return command == "vfioadm"
    }
}
