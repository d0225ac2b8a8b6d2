import ReportOutput
import VFIOSysfs

/// One IOMMU group with its members and verdict.
struct GroupReport: Encodable, Sendable {
    let group: IOMMUGroupID
    let type: String?
    let reservedRegions: [ReservedRegion]
    let devices: [DeviceReport]
    let otherMembers: [IOMMUGroup.OtherMember]
    let verdict: Verdict
    let problems: [AttributeProblem]

    init(_ group: IOMMUGroup, names: PCIIDs?, lifecycle: (PCIAddress) -> DeviceLifecycle? = { _ in nil }) {
        self.group = group.id
        type = group.type
        reservedRegions = group.reservedRegions
        devices = group.devices.map { DeviceReport($0, names: names, lifecycle: lifecycle($0.address)) }
        otherMembers = group.otherMembers
        verdict = Verdict.of(group)
        problems = group.problems
    }
}

extension GroupReport: ConcurrentlyEncodable {}
