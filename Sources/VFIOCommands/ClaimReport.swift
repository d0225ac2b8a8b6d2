import VFIOClaim

/// What `vfioadm claim` reports: every group's outcome, the owner given to
/// the nodes and the files `--persist` wrote.
struct ClaimReport: Encodable {
    let schemaVersion = 1
    /// Every group was claimed (or, with `--dry-run`, could be).
    let ok: Bool
    let dryRun: Bool
    let lockWaitSeconds: Double
    let groups: [ClaimOutcome.JSON]
    let owner: Owner?
    /// The persistent-claim files `--persist` wrote.
    let persisted: [String]

    /// `--owner` and what its user needs to lock.
    struct Owner: Encodable {
        let user: String
        let uid: UInt32
        let gid: UInt32
        let memlock: String
    }

    init(claim: Claimer.Report, owner: NodeOwner?, persisted: [String]) {
        ok = claim.succeeded
        dryRun = claim.dryRun
        lockWaitSeconds = claim.lockWaitSeconds
        groups = claim.groups.map(ClaimOutcome.JSON.init)
        self.owner = owner.map { Owner(user: $0.user, uid: $0.uid, gid: $0.gid, memlock: Self.memlockAdvice($0)) }
        self.persisted = persisted
    }

    /// What the owner must be allowed to lock, and where to set it.
    private static func memlockAdvice(_ owner: NodeOwner) -> String {
        "\(owner.user) needs RLIMIT_MEMLOCK at least the guest memory it maps (type1 charges each container, "
            + "iommufd the user once): LimitMEMLOCK= in its systemd unit or memlock in /etc/security/limits.conf"
    }
}
