extension ProbeReport {
    /// The report as text, one block per mode:
    ///
    ///     0000:01:00.0 (group 9): 1 MiB buffer
    ///     type1v2: ok
    ///       iommu        VFIO_TYPE1v2_IOMMU
    ///       ...
    func render() -> String {
        var lines = ["\(device) (group \(group)): \(ByteFormat.bytes(size)) buffer, "
            + (ok ? "every mode works" : "not every mode works")]
        for result in modes {
            lines.append("\(result.mode): \(result.outcome.rawValue)")
            lines += result.renderBody()
        }
        return lines.joined(separator: "\n")
    }
}

extension ModeResult {
    func renderBody() -> [String] {
        var lines: [String] = []
        func field(_ name: String, _ value: String) { lines.append("  " + TextLayout.column(name, 12) + " " + value) }
        if let reason { field("reason", reason) }
        if let iommuType { field("iommu", iommuType) }
        if let extensions, !extensions.isEmpty { field("extensions", extensions.joined(separator: ", ")) }
        if let hardware {
            field("hardware", hardware.type + (hardware.capabilities.isEmpty ? "" : " (" + hardware.capabilities
                .joined(separator: ", ") + ")"))
            if let cap = hardware.cap, let ecap = hardware.ecap { field("vt-d", "cap \(cap) ecap \(ecap)") }
            if let features = hardware.features, !features.isEmpty { field("", features.joined(separator: " ")) }
            if let raw = hardware.raw { field("", "data " + raw) }
        }
        for (index, range) in iovaRanges.map(\.value).enumerated() {
            let size = range.length.map(ByteFormat.bytes) ?? "16 EiB"
            field(index == 0 ? "iova ranges" : "", "\(range)  \(size)")
        }
        if outcome != .unavailable, iovaRanges.isEmpty, steps.count > 1 { field("iova ranges", "none reported") }
        if let pageSizeList, let pageSizes { field("page sizes", pageSizeList.joined(separator: ", ") + "  (\(pageSizes))") }
        if let alignment { field("alignment", ByteFormat.bytes(alignment)) }
        if let dmaAvailable {
            field("dma entries", dmaAvailable == UInt32.max ? "unlimited (\(dmaAvailable))" : "\(dmaAvailable) available")
        }
        if !steps.isEmpty {
            lines.append("  steps")
            for step in steps {
                let time = ByteFormat.milliseconds(step.nanoseconds)
                let padded = String(repeating: " ", count: max(0, 11 - time.count)) + time
                lines.append("    " + TextLayout.column(step.step, 9) + padded + (step.ok ? "  " : "  FAILED  ")
                    + (step.detail ?? ""))
            }
        }
        if let error {
            lines.append("  error: " + error.message)
            if let advice = error.advice { lines.append("  advice: " + advice) }
        }
        lines += problems.map { "  problem: " + $0 }
        return lines.map { $0.hasSuffix(" ") ? String($0.reversed().drop(while: { $0 == " " }).reversed()) : $0 }
    }
}
