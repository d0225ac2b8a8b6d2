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

    private enum CodingKeys: String, CodingKey { case group, type, reservedRegions, devices, otherMembers, verdict, problems }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(group, forKey: .group)
        try container.encodeIfPresent(type, forKey: .type)
        try container.encode(reservedRegions, as: ReservedRegion.JSON.self, forKey: .reservedRegions)
        try container.encode(devices, forKey: .devices)
        try container.encode(otherMembers, as: IOMMUGroup.OtherMember.JSON.self, forKey: .otherMembers)
        try container.encode(verdict, as: Verdict.JSON.self, forKey: .verdict)
        try container.encode(problems, forKey: .problems)
    }
}

extension GroupReport: ConcurrentlyEncodable {}
