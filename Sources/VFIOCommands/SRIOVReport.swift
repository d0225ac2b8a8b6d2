import VFIOClaim
import VFIOSysfs

/// What `vfioadm sriov` reports: the PF and its VFs, the writes that set the
/// VF count, and the claim of the VFs' groups.
struct SRIOVReport: Encodable {
    let schemaVersion = 1
    let pf: PhysicalFunction
    let warnings: [String]
    let dryRun: Bool
    let writes: [SysfsWrite]
    let hazards: [Hazard]
    let claim: ClaimReport?
    /// The files `--persist` wrote or removed.
    let persisted: [String]

    private enum CodingKeys: String, CodingKey { case schemaVersion, pf, warnings, dryRun, writes, hazards, claim, persisted }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(pf, as: PhysicalFunction.JSON.self, forKey: .pf)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(writes, forKey: .writes)
        try container.encode(hazards, as: Hazard.JSON.self, forKey: .hazards)
        try container.encodeIfPresent(claim, forKey: .claim)
        try container.encode(persisted, forKey: .persisted)
    }
}
