import VFIOClaim

/// What `vfioadm apply` reports: what it did (or would do) for each entry and held group.
struct ApplyReport: Encodable {
    let schemaVersion = 1
    let changed: Bool
    let dryRun: Bool
    let boot: Bool
    let configDirectory: String
    let groups: [Applier.Outcome.JSON]
}
