import VFIOSysfs

/// Plain-text rendering helpers shared by the reports, for an 80-column terminal.
enum TextLayout {
    /// Pads or cuts `text` to exactly `width` characters (cut text ends in `~`).
    static func column(_ text: String, _ width: Int) -> String {
        if text.count > width { return String(text.prefix(width - 1)) + "~" }
        return text + String(repeating: " ", count: width - text.count)
    }

    /// `group 12  DMA  not viable`
    static func groupHeading(_ group: GroupReport) -> String {
        "group \(group.group)  \(group.type ?? "?")  \(group.verdict.status.rawValue)"
    }

    /// One device line, cut to 80 columns: address, vendor:device, driver, class and name;
    /// a set `driver_override` goes on a line of its own.
    static func deviceLines(_ device: DeviceReport) -> [String] {
        let className = device.class?.name ?? device.class.map { "class " + $0.id.dropFirst(2) } ?? "class ?"
        let name = device.device?.name ?? device.vendor?.name
        let text = className + (name.map { ": " + $0 } ?? "")
        let line = "  " + device.address.description + "  " + device.ids + "  "
            + column(device.driver?.rawValue ?? "-", 14) + "  " + text
        var lines = [line.count > 80 ? String(line.prefix(79)) + "~" : line]
        if let override = device.driverOverride { lines.append("    driver_override \(override)") }
        return lines
    }

    /// The verdict's reasons, each with its fix, indented under a group.
    static func reasons(_ verdict: Verdict, indent: String = "  ") -> [String] {
        verdict.reasons.flatMap { ["\(indent)blocked: \($0.message)", "\(indent)  fix: \($0.fix)"] }
    }

    static func regions(_ regions: [ReservedRegion]) -> [String] {
        regions.map { "  reserved \($0.range) \($0.kind)" }
    }

    static func problems(_ problems: [AttributeProblem]) -> [String] {
        problems.map { "  unreadable: \($0.path): \($0.reason)" }
    }
}
