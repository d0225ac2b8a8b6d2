import VFIOSysfs

/// What `vfioadm list` reports: every group (or those the filters keep).
struct ListReport: Encodable, Sendable {
    let schemaVersion = 1
    let sysfsRoot: String
    /// False when the host has no IOMMU groups at all.
    let iommu: Bool
    /// Set when `iommu` is false: the no-IOMMU verdict with its fix.
    let verdict: Verdict.JSON?
    let groups: [GroupReport]
    /// PCI devices outside any group (shown when there is no IOMMU, or unfiltered).
    let ungroupedDevices: [DeviceReport]
    let problems: JSONArray<AttributeProblem.JSON>
}
