import VFIOClaim

/// What `vfioadm apply` reports: what it did (or would do) for each entry and held group.
struct ApplyReport: Encodable {
    let schemaVersion = 1
    let changed: Bool
    let dryRun: Bool
    let boot: Bool
    let configDirectory: String
    let groups: [Applier.Outcome]

    private enum CodingKeys: String, CodingKey { case schemaVersion, changed, dryRun, boot, configDirectory, groups }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(changed, forKey: .changed)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(boot, forKey: .boot)
        try container.encode(configDirectory, forKey: .configDirectory)
        try container.encode(groups, as: Applier.Outcome.JSON.self, forKey: .groups)
    }
}
