import ReportOutput
import VFIOSysfs

/// One IOMMU group with its members and verdict.
struct GroupReport: Encodable, Sendable {
    let group: IOMMUGroupID
    let type: String?
    let reservedRegions: JSONArray<ReservedRegion.JSON>
    let devices: [DeviceReport]
    let otherMembers: JSONArray<IOMMUGroup.OtherMember.JSON>
    let verdict: Verdict.JSON
    let problems: JSONArray<AttributeProblem.JSON>

    init(_ group: IOMMUGroup, names: PCIIDs?, lifecycle: (PCIAddress) -> DeviceLifecycle? = { _ in nil }) {
        self.group = group.id
        type = group.type
        reservedRegions = JSONArray(values: group.reservedRegions)
        devices = group.devices.map { DeviceReport($0, names: names, lifecycle: lifecycle($0.address)) }
        otherMembers = JSONArray(values: group.otherMembers)
        verdict = Verdict.JSON(value: Verdict.of(group))
        problems = JSONArray(values: group.problems)
    }
}

extension GroupReport: ConcurrentlyEncodable {}
