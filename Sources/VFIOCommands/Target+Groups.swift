import VFIOSysfs

extension Target {
    /// The groups the targets name, each once, in order; a device without a
    /// group is refused with the reason (69).
    static func groups(_ targets: [Target], reader: SysfsReader) throws(CommandFailure) -> [IOMMUGroupID] {
        var groups: [IOMMUGroupID] = []
        let hasGroups = (try? reader.groupIDs().get())?.isEmpty == false
        for target in targets {
            let (group, device) = try target.resolve(reader)
            guard let group else {
                let verdict = hasGroups ? device.map { Verdict.noGroup($0.address) } ?? .noIOMMU : .noIOMMU
                let reason = verdict.reasons.first
                throw CommandFailure(.unavailable, code: verdict.status.rawValue,
                                     "\(target): \(reason?.message ?? "no IOMMU group")"
                                         + (reason.map { "\n  fix: \($0.fix)" } ?? ""))
            }
            if !groups.contains(group) { groups.append(group) }
        }
        return groups
    }
}
