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
        "group \(group.group)  \(group.type ?? "?")  \(group.verdict.value.status.rawValue)"
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
        if let lifecycle = device.lifecycle { lines += Self.lifecycle(lifecycle.value) }
        return lines
    }

    /// `reset flr,bus (a bus reset also resets 0000:03:02.0)`, `power D0, d3cold allowed`,
    /// `numa 0, cpus 0-1`, `link 8.0 GT/s PCIe x4 of 16.0 GT/s PCIe x16: DEGRADED`.
    static func lifecycle(_ lifecycle: DeviceLifecycle) -> [String] {
        var lines: [String] = []
        let methods = lifecycle.resetMethods.map { $0.isEmpty ? "none" : $0.map(\.name).joined(separator: ",") }
            ?? "none (no reset_method)"
        let scope = lifecycle.busResetAlsoResets.isEmpty ? ""
            : " (a bus reset also resets \(lifecycle.busResetAlsoResets.map(\.description).joined(separator: ", ")))"
        lines.append("    reset methods \(methods)\(scope)")
        let d3cold = lifecycle.d3coldAllowed.map { $0 ? ", d3cold allowed" : ", d3cold not allowed" } ?? ""
        let runtime = lifecycle.runtimeStatus.map { ", runtime \($0)" } ?? ""
        lines.append("    power \(lifecycle.powerState ?? "?")\(d3cold)\(runtime)")
        lines.append("    numa \(lifecycle.numaNode.map(String.init) ?? "unknown"), cpus \(lifecycle.localCPUs ?? "?")")
        if let link = lifecycle.link {
            func width(_ value: Int?) -> String { value.map { " x\($0)" } ?? "" }
            lines.append("    link \(link.currentSpeed)\(width(link.currentWidth)) of \(link.maxSpeed)\(width(link.maxWidth))"
                + (link.degraded ? ": DEGRADED" : ""))
        }
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
