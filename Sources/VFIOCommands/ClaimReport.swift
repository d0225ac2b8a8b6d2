import VFIOClaim

/// What `vfioadm claim` reports: every group's outcome, the owner given to
/// the nodes and the files `--persist` wrote.
struct ClaimReport: Encodable {
    let claim: Claimer.Report
    let owner: NodeOwner?
    /// The persistent-claim files `--persist` wrote.
    let persisted: [String]

    /// `--owner` and what its user needs to lock.
    private struct Owner: Encodable {
        let user: String
        let uid: UInt32
        let gid: UInt32
        let memlock: String
    }

    private enum CodingKeys: String, CodingKey { case schemaVersion, ok, dryRun, lockWaitSeconds, groups, owner, persisted }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .schemaVersion)
        try container.encode(claim.succeeded, forKey: .ok)
        try container.encode(claim.dryRun, forKey: .dryRun)
        try container.encode(claim.lockWaitSeconds, forKey: .lockWaitSeconds)
        try container.encode(claim.groups, as: ClaimOutcome.JSON.self, forKey: .groups)
        try container.encodeIfPresent(
            owner.map { Owner(user: $0.user, uid: $0.uid, gid: $0.gid, memlock: Self.memlockAdvice($0)) }, forKey: .owner)
        try container.encode(persisted, forKey: .persisted)
    }

    /// What the owner must be allowed to lock, and where to set it.
    static func memlockAdvice(_ owner: NodeOwner) -> String {
        "\(owner.user) needs RLIMIT_MEMLOCK at least the guest memory it maps (type1 charges each container, "
            + "iommufd the user once): LimitMEMLOCK= in its systemd unit or memlock in /etc/security/limits.conf"
    }
}
