extension SRIOVReport {
    /// The PF with its VFs, warnings, hazards and writes, then the claim of the VFs' groups.
    func render() -> String {
        let pf = pf.value
        let autoprobe = pf.driversAutoprobe.map { $0 ? "on" : "off" } ?? "?"
        var lines = ["\(pf.address) (\(pf.driver?.rawValue ?? "no driver"), group \(pf.group.map(\.description) ?? "none")): "
            + "SR-IOV \(pf.numVFs) of \(pf.totalVFs) VFs, offset \(pf.offset.map(String.init) ?? "?"), stride "
            + "\(pf.stride.map(String.init) ?? "?"), VF device \(pf.vfDevice.map { String(repeating: "0", count: max(0, 4 - $0.count)) + $0 } ?? "?"), "
            + "autoprobe \(autoprobe)"]
        for vf in pf.vfs {
            lines.append("  \(vf.address)  group \(vf.group.map(\.description) ?? "none")  \(vf.driver?.rawValue ?? "no driver")")
        }
        for warning in warnings { lines.append("  warning: \(warning)") }
        lines += TextLayout.hazards(hazards.map(\.value), forced: false)
        for write in writes { lines.append("  \(dryRun || !hazards.isEmpty ? "plan" : "done")  \(write)") }
        for file in persisted { lines.append((pf.numVFs == 0 ? "forgot " : "persisted in ") + file) }
        return lines.joined(separator: "\n") + (claim.map { "\n" + $0.render() } ?? "")
    }
}
