import VFIOSysfs

/// What vfioadm changed for one group, written and synced before every write
/// so that a release, or the next claim, can put everything back after a crash.
public struct Journal: Hashable, Sendable, Codable {
    public enum Phase: String, Hashable, Sendable, Codable {
        /// Writes in progress; a crash leaves it here.
        case claiming
        /// Done: the group is held.
        case claimed
        /// Being put back; a crash leaves it here.
        case releasing
    }

    /// A member as vfioadm found it, and where the claim moves it.
    public struct Member: Hashable, Sendable, Codable {
        public let address: PCIAddress
        /// The driver before the claim; nil when it was unbound.
        public let originalDriver: DriverName?
        /// `driver_override` before the claim; nil when `(null)`.
        public let originalOverride: String?
        /// The driver the claim binds it to; nil for members left as they were.
        public let target: DriverName?
    }

    /// A device node's ownership before `--owner` changed it.
    public struct Node: Hashable, Sendable, Codable {
        public let path: String
        public let uid: UInt32
        public let gid: UInt32
        public let mode: UInt32
    }

    public var schemaVersion = 1
    public let group: IOMMUGroupID
    public var phase: Phase
    /// The process that wrote it last.
    public var pid: Int32
    public var members: [Member]
    /// Writes done so far in this phase.
    public var writesDone: Int
    /// The write about to be made; set before it, cleared after.
    public var pending: SysfsWrite?
    /// Nodes whose ownership `--owner` changed, with what they were.
    public var nodes: [Node]
    /// `--owner`, as `uid:gid`.
    public var owner: String?
    /// Whether the claim comes from a persistent claim (`claim --persist`, `apply`):
    /// `apply` releases such a group once its entry is gone, and no other.
    public var persistent: Bool?

    public init(group: IOMMUGroupID, pid: Int32, members: [Member]) {
        self.group = group
        phase = .claiming
        self.pid = pid
        self.members = members
        writesDone = 0
        nodes = []
    }
}
