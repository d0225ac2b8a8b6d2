import VFIOClaim
import VFIOSysfs

/// What `vfioadm status` reports: the groups held, and each persistent claim against the host.
struct StatusReport: Encodable {
    /// A persistent claim against the host now.
    struct Desired: Encodable {
        let entry: String
        let file: String
        let driver: String
        let group: IOMMUGroupID?
        let held: Bool
        /// Why it is not held, or does not match the host.
        let drift: [String]
    }

    let schemaVersion = 1
    let consistent: Bool
    let stateDirectory: String
    let configDirectory: String
    let groups: [HeldGroup.JSON]
    let desired: [Desired]
}
