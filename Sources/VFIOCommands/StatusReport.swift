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
    let groups: [HeldGroup]
    let desired: [Desired]

    private enum CodingKeys: String, CodingKey { case schemaVersion, consistent, stateDirectory, configDirectory, groups, desired }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(consistent, forKey: .consistent)
        try container.encode(stateDirectory, forKey: .stateDirectory)
        try container.encode(configDirectory, forKey: .configDirectory)
        try container.encode(groups, as: HeldGroup.JSON.self, forKey: .groups)
        try container.encode(desired, forKey: .desired)
    }
}
