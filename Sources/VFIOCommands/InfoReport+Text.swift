extension InfoReport {
    /// The report as text: the device, its cdev and flags, then one line per
    /// present region (sparse mmap areas under it) and per IRQ index.
    func render() -> String {
        var lines = ["\(device) (group \(group)): opened with \(openedWith)"]
        lines.append("  cdev     " + (cdev.map { "\($0.path) (\($0.number))" } ?? "none"))
        lines.append("  flags    " + (flags.isEmpty ? "none" : flags.joined(separator: ", ")))
        lines.append("  reset    " + (reset ? "supported (VFIO_DEVICE_RESET)" : "not supported"))
        var lifecycleLines = TextLayout.lifecycle(lifecycle.value).map { "  " + $0.dropFirst(4) }
        lifecycleLines.insert(contentsOf: (lifecycle.value.resetMethods ?? []).map { "    \($0.name): \($0.meaning)" }, at: 1)
        lines += lifecycleLines
        lines.append("  regions")
        for region in regions where region.size > 0 {
            var line = "    " + TextLayout.column(region.name, 8) + " "
                + TextLayout.column(ByteFormat.bytes(region.size), 10) + " "
                + TextLayout.column(region.flags.joined(separator: ","), 20) + " offset " + region.offset
            if let type = region.type, let subtype = region.subtype { line += "  type \(type):\(subtype)" }
            lines.append(line)
            for area in region.sparseAreas ?? [] {
                lines.append("      mmap area \(area.offset) \(ByteFormat.bytes(area.size))")
            }
        }
        let absent = regions.filter { $0.size == 0 }.map(\.name)
        if !absent.isEmpty { lines.append("    absent: " + absent.joined(separator: ", ")) }
        lines.append("  irqs")
        for irq in irqs {
            lines.append("    " + TextLayout.column(irq.name, 8) + " " + TextLayout.column("\(irq.count)", 4)
                + " " + irq.flags.joined(separator: ","))
        }
        lines += problems.map { "  problem: " + $0 }
        return lines.map { line in
            var trimmed = Substring(line)
            while trimmed.hasSuffix(" ") { trimmed = trimmed.dropLast() }
            return String(trimmed)
        }.joined(separator: "\n")
    }
}
