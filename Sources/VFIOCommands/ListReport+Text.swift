extension ListReport {
    /// Each group with its regions, devices and verdict, then the devices in no group.
    func render() -> String {
        var lines: [String] = []
        if let verdict {
            lines.append("no IOMMU")
            lines += TextLayout.reasons(verdict.value)
        }
        for group in groups {
            if !lines.isEmpty { lines.append("") }
            lines.append(TextLayout.groupHeading(group))
            lines += TextLayout.regions(group.reservedRegions.values)
            lines += group.devices.flatMap(TextLayout.deviceLines)
            lines += group.otherMembers.values.map { "  \($0.name)  (not PCI)  \($0.driver?.rawValue ?? "-")" }
            lines += TextLayout.reasons(group.verdict.value)
            lines += TextLayout.problems(group.problems.values + group.devices.flatMap(\.problems.values))
        }
        if !ungroupedDevices.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append("no group")
            lines += ungroupedDevices.flatMap(TextLayout.deviceLines)
            lines += TextLayout.problems(ungroupedDevices.flatMap(\.problems.values))
        }
        lines += TextLayout.problems(problems.values)
        return lines.joined(separator: "\n")
    }
}
