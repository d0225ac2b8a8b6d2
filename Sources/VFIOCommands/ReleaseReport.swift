import VFIOClaim

/// What `vfioadm release` reports: every group's outcome and the persistent
/// claims `--persist` forgot.
struct ReleaseReport: Encodable {
    let schemaVersion = 1
    /// Every group was released.
    let ok: Bool
    let lockWaitSeconds: Double
    let groups: [Releaser.Outcome.JSON]
    /// The persistent-claim files `--persist` removed.
    let forgotten: [String]

    init(release: Releaser.Report, forgotten: [String]) {
        ok = release.succeeded
        lockWaitSeconds = release.lockWaitSeconds
        groups = release.groups.map(Releaser.Outcome.JSON.init)
        self.forgotten = forgotten
    }
}
