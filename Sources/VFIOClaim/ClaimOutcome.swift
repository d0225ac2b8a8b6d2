import VFIOSysfs

/// What a claim did, or would do, to one group.
public struct ClaimOutcome: Sendable {
    public enum Result: String, Sendable {
        /// Writes were made; the kernel reports the group viable.
        case claimed
        /// Already held: nothing written.
        case unchanged
        /// `--dry-run`: nothing written; `writes` is what would be.
        case planned
        /// A hazard stopped it; nothing written.
        case refused
    }

    public let group: IOMMUGroupID
    public let result: Result
    public let plan: GroupPlan
    public let hazards: [Hazard]
    /// Hazards `--force` overrode.
    public let forced: Bool
    /// The writes made (for `planned`, the writes that would be).
    public let writes: [SysfsWrite]
    /// Writes that undid an interrupted claim or release found in the journal first.
    public let recovered: [SysfsWrite]
    /// `VFIO_GROUP_GET_STATUS` VIABLE after the claim; nil when the group was not opened.
    public let kernelViable: Bool?
    /// Nodes handed to `--owner`.
    public let nodes: [String]
    /// What is worth knowing but does not stop the claim: a member whose only reset also resets devices outside the group.
    public let warnings: [String]
}

extension Claimer {
    /// A whole claim: every group, and how long it waited for another vfioadm.
    public struct Report: Sendable {
        public let groups: [ClaimOutcome]
        public let lockWaitSeconds: Double
        public let dryRun: Bool

        /// Every group held (or, in a dry run, would be).
        public var succeeded: Bool { groups.allSatisfy { $0.result != .refused } }
    }
}
