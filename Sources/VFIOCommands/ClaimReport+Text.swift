import VFIOClaim
import VFIOSysfs

extension ClaimReport {
    /// Each group's outcome with its plan, hazards and writes, then the files `--persist` wrote.
    func render() -> String {
        var lines: [String] = []
        if lockWaitSeconds >= 0.1 {
            lines.append("waited \(Self.seconds(lockWaitSeconds)) for another vfioadm to finish")
        }
        for outcome in groups.map(\.value) {
            lines.append("group \(outcome.group): " + Self.heading(outcome))
            for write in outcome.recovered { lines.append("  undo  \(write)") }
            for device in outcome.plan.devices { lines.append("  " + Self.member(device)) }
            lines += TextLayout.hazards(outcome.hazards, forced: outcome.forced)
            for warning in outcome.warnings { lines.append("  warning: \(warning)") }
            for write in outcome.writes { lines.append("  \(outcome.result == .planned ? "plan" : "done")  \(write)") }
            if !outcome.nodes.isEmpty, let owner {
                lines.append("  nodes \(outcome.nodes.joined(separator: " ")) now usable by \(owner.user) "
                    + "(\(owner.uid):\(owner.gid))")
                lines.append("  " + owner.memlock)
            }
        }
        for file in persisted { lines.append("persisted in \(file)") }
        return lines.joined(separator: "\n")
    }

    private static func heading(_ outcome: ClaimOutcome) -> String {
        switch outcome.result {
        case .claimed:
            let verdict = outcome.kernelViable == true ? "; the kernel reports it viable" : ""
            return "claimed (\(outcome.writes.count) writes\(verdict))"
        case .unchanged: return "unchanged (already held)"
        case .planned: return outcome.hazards.isEmpty ? "plan, nothing written (--dry-run)"
            : "plan, nothing written (--dry-run); a claim would be refused"
        case .refused: return outcome.hazards.isEmpty ? "refused with the others, nothing written"
            : "refused, nothing written"
        }
    }

    /// `0000:03:02.0  nvme -> vfio-pci` or `0000:02:00.0  stays (bridge, no driver)`.
    private static func member(_ device: DevicePlan) -> String {
        let now = device.driver?.rawValue ?? "no driver"
        let address = device.address.description
        switch device.action {
        case .bind: return "\(address)  \(now) -> \(device.target?.rawValue ?? "?")"
        case .keepVFIO: return "\(address)  stays on \(now)"
        case .keepBridge: return "\(address)  stays (bridge, \(now))"
        case .keepStub: return "\(address)  stays on \(now) (no DMA)"
        }
    }

    private static func seconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
