import VFIOClaim

/// What `vfioadm release` reports: every group's outcome and the persistent
/// claims `--persist` forgot.
struct ReleaseReport: Encodable {
    let release: Releaser.Report
    /// The persistent-claim files `--persist` removed.
    let forgotten: [String]

    private enum CodingKeys: String, CodingKey { case schemaVersion, ok, lockWaitSeconds, groups, forgotten }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .schemaVersion)
        try container.encode(release.succeeded, forKey: .ok)
        try container.encode(release.lockWaitSeconds, forKey: .lockWaitSeconds)
        try container.encode(release.groups, as: Releaser.Outcome.JSON.self, forKey: .groups)
        try container.encode(forgotten, forKey: .forgotten)
    }
}
