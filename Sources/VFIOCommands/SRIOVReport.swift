import VFIOClaim
import VFIOSysfs

/// What `vfioadm sriov` reports: the PF and its VFs, the writes that set the
/// VF count, and the claim of the VFs' groups.
struct SRIOVReport: Encodable {
    let schemaVersion = 1
    let pf: PhysicalFunction.JSON
    let warnings: [String]
    let dryRun: Bool
    let writes: [SysfsWrite]
    let hazards: [Hazard.JSON]
    let claim: ClaimReport?
    /// The files `--persist` wrote or removed.
    let persisted: [String]
}
