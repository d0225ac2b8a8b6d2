import VFIOSysfs

/// What `vfioadm list` reports: every group (or those the filters keep).
struct ListReport: Encodable, Sendable {
    let schemaVersion = 1
    let sysfsRoot: String
    /// False when the host has no IOMMU groups at all.
    let iommu: Bool
    /// Set when `iommu` is false: the no-IOMMU verdict with its fix.
    let verdict: Verdict?
    let groups: [GroupReport]
    /// PCI devices outside any group (shown when there is no IOMMU, or unfiltered).
    let ungroupedDevices: [DeviceReport]
    let problems: [AttributeProblem]

    private enum CodingKeys: String, CodingKey { case schemaVersion, sysfsRoot, iommu, verdict, groups, ungroupedDevices, problems }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(sysfsRoot, forKey: .sysfsRoot)
        try container.encode(iommu, forKey: .iommu)
        try container.encodeIfPresent(verdict, as: Verdict.JSON.self, forKey: .verdict)
        try container.encode(groups, forKey: .groups)
        try container.encode(ungroupedDevices, forKey: .ungroupedDevices)
        try container.encode(problems, forKey: .problems)
    }
}
