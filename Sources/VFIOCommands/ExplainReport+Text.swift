import VFIOSysfs

extension ExplainReport {
    /// The report as text for an 80-column terminal.
    func render() -> String {
        var lines: [String] = []
        if let group {
            let count = members.filter(\.inKernelGroup).count + otherMembers.count
            lines.append("group \(group): \(count) device\(count == 1 ? "" : "s")")
        } else {
            lines.append("\(target): no IOMMU group")
        }
        lines.append("  rules vs kernel: \(crossCheck.status.rawValue)")
        for finding in crossCheck.findings { lines += Wrap.lines(finding, first: "    ", rest: "      ") }
        for limitation in limitations { lines += Wrap.lines("limitation: " + limitation.message, first: "  ", rest: "    ") }
        for member in members {
            lines.append("")
            lines += memberLines(member)
        }
        lines.append("")
        lines.append("what would split it:")
        for advice in split { lines += Wrap.lines(advice.message, first: "  - ", rest: "    ") }
        return lines.joined(separator: "\n")
    }

    private func memberLines(_ member: Member) -> [String] {
        let name = member.device?.name ?? member.vendor?.name
        var lines = [Wrap.cut("  \(member.address)  \(member.ids)  \(member.kind.name)" + (name.map { ": " + $0 } ?? ""))]
        if !member.inKernelGroup {
            lines.append("    kernel: " + (member.iommuGroup.map { "in group \($0)" } ?? "no IOMMU group"))
        }
        if member.multifunction || member.kind.isBridge {  // a single function's own ACS plays no part
            lines += Wrap.lines("acs: " + member.acs.summary, first: "    ", rest: "      ")
        }
        let hops = member.path.map { hop in
            var facts = [hop.acs.check == "never-isolates" ? "never isolates" : hop.acs.summary]
            if hop.aliases == true { facts.append("aliases DMA as " + (hop.requesterID ?? "itself")) }
            return "\(hop.address) \(hop.kind.name) (\(facts.joined(separator: ", ")))"
        }
        lines += Wrap.lines("path: " + (hops + ["root complex"]).joined(separator: " > "), first: "    ", rest: "      ")
        if let firstBreak = member.path.first(where: { $0.acs.isolates != true }) {
            lines.append(firstBreak.acs.isolates == false
                ? "    first bridge that breaks isolation: \(firstBreak.address)"
                : "    first bridge not known to isolate: \(firstBreak.address) (unreadable)")
        }
        for reason in member.reasons {
            lines += Wrap.lines("why: " + (reason.certain ? "" : "assumed: ") + reason.message, first: "    ", rest: "      ")
        }
        return lines
    }
}
