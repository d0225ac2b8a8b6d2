import VFIOSysfs

extension ExplainReport {
    /// The report as text for an 80-column terminal.
    func render() -> String {
        var lines: [String] = []
        if let group {
            let count = members.filter(\.value.inKernelGroup).count + otherMembers.count
            lines.append("group \(group): \(count) device\(count == 1 ? "" : "s")")
        } else {
            lines.append("\(target): no IOMMU group")
        }
        lines.append("  rules vs kernel: \(crossCheck.value.status.rawValue)")
        for finding in crossCheck.value.findings { lines += Wrap.lines(finding, first: "    ", rest: "      ") }
        for limitation in limitations {
            lines += Wrap.lines("limitation: " + limitation.value.message, first: "  ", rest: "    ")
        }
        for member in members {
            lines.append("")
            lines += memberLines(member)
        }
        lines.append("")
        lines.append("what would split it:")
        for advice in split { lines += Wrap.lines(advice.value.message, first: "  - ", rest: "    ") }
        return lines.joined(separator: "\n")
    }

    private func memberLines(_ shape: GroupExplanation.Member.JSON) -> [String] {
        let member = shape.value
        let function = member.function
        let device = DeviceReport(function.device, names: shape.names)
        let name = device.device?.name ?? device.vendor?.name
        var lines = [Wrap.cut("  \(member.address)  \(device.ids)  \(function.kind.name)" + (name.map { ": " + $0 } ?? ""))]
        if !member.inKernelGroup {
            lines.append("    kernel: " + (function.device.iommuGroup.map { "in group \($0)" } ?? "no IOMMU group"))
        }
        if function.isMultifunction || function.kind.isBridge {  // a single function's own ACS plays no part
            lines += Wrap.lines("acs: " + member.check.summary(function.acs), first: "    ", rest: "      ")
        }
        let hops = member.path.hops.map { hop in
            var facts = [hop.check.code == "never-isolates" ? "never isolates" : hop.check.summary(hop.acs)]
            if hop.aliases == true { facts.append("aliases DMA as " + (hop.requesterID ?? "itself")) }
            return "\(hop.address) \(hop.kind.name) (\(facts.joined(separator: ", ")))"
        }
        lines += Wrap.lines("path: " + (hops + ["root complex"]).joined(separator: " > "), first: "    ", rest: "      ")
        if let firstBreak = member.path.firstBreak {
            lines.append(firstBreak.check.isolates == false
                ? "    first bridge that breaks isolation: \(firstBreak.address)"
                : "    first bridge not known to isolate: \(firstBreak.address) (unreadable)")
        }
        for reason in member.reasons {
            lines += Wrap.lines("why: " + (reason.certain ? "" : "assumed: ") + reason.message, first: "    ", rest: "      ")
        }
        return lines
    }
}
