import VFIOCore
import VFIOSysfs

/// The IOMMU checks: hardware present, enabled by the kernel, default domains.
extension HostDoctor {
    /// Firmware IOMMU tables (DMAR, IVRS, VIOT, IORT) and the units the kernel drives.
    func iommuHardware(_ host: HostFacts) -> HostCheck {
        let evidence = hardwareEvidence(host)
        guard host.hasIOMMUHardware else {
            return HostCheck("iommu-hardware", .fail, "no IOMMU: the firmware describes none and the kernel drives none",
                             evidence: evidence,
                             fix: "Enable the IOMMU in the firmware setup (Intel VT-d, AMD-Vi or \"IOMMU\"); a virtual "
                                + "machine needs a virtual IOMMU (QEMU: -device intel-iommu,intremap=on). Without one, "
                                + "VFIO offers only the unsafe no-IOMMU mode.")
        }
        var parts = host.tables.iommuTables.map { "\($0.hardware) (ACPI \($0.rawValue))" }
        if !host.units.isEmpty { parts.append(Self.count(host.units.count, "IOMMU unit")) }
        return HostCheck("iommu-hardware", .pass, parts.joined(separator: ", "), evidence: evidence)
    }

    /// IOMMU groups exist, i.e. the kernel has turned the IOMMU on; if not, why,
    /// from the command line and the tables.
    func iommuEnabled(_ host: HostFacts) -> HostCheck {
        let groups = host.iommuGroups
        var evidence = [Evidence(root.iommuGroups, groupCountText(host))]
        evidence.append(Evidence(root.iommuUnits, Self.list(host.units.map(\.name), empty: "no units")))
        evidence.append(commandLineEvidence(host))
        if !groups.isEmpty {
            return HostCheck("iommu-enabled", .pass, "the kernel drives the IOMMU: "
                                + Self.count(groups.count, "IOMMU group"), evidence: evidence)
        }
        guard host.hasIOMMUHardware else {
            return HostCheck("iommu-enabled", .skip, "no IOMMU hardware to enable (see iommu-hardware)",
                             evidence: evidence)
        }
        return HostCheck("iommu-enabled", .fail, "the IOMMU is present but the kernel has not enabled it: no IOMMU groups",
                         evidence: evidence, fix: enableFix(host))
    }

    /// The default domain type of each group: DMA translation, or identity
    /// (passthrough, `iommu=pt`), which VFIO replaces while it owns a group.
    func iommuDomains(_ host: HostFacts) -> HostCheck {
        let groups = host.iommuGroups
        guard !groups.isEmpty else {
            return HostCheck("iommu-domains", .skip, "no IOMMU groups",
                             evidence: [Evidence(root.iommuGroups, groupCountText(host))])
        }
        var byType: [String: [IOMMUGroupID]] = [:]
        for group in groups { byType[group.type ?? "unreadable", default: []].append(group.id) }
        let evidence = byType.keys.sorted().map { type in
            Evidence(root.iommuGroups + "/N/type", "\(type): groups " + byType[type, default: []].map(\.description)
                .joined(separator: " "))
        } + [commandLineEvidence(host)]
        let summary = byType.keys.sorted().map { "\($0) \(byType[$0, default: []].count)" }.joined(separator: ", ")
        let odd = groups.filter { !["DMA", "DMA-FQ", "identity"].contains($0.type ?? "") }
        if !odd.isEmpty {
            return HostCheck("iommu-domains", .warn, summary + ": " + Self.count(odd.count, "group")
                                + " without a usable default domain", evidence: evidence,
                             fix: "The IOMMU driver gave groups \(odd.map(\.id.description).joined(separator: ", ")) no "
                                + "DMA or identity domain (see dmesg); VFIO cannot hand them over until it does.")
        }
        let identity = byType["identity", default: []].count
        let note = identity == 0 ? "" : "; identity (passthrough) groups are fine for VFIO, which gives a group its "
            + "own domain while it owns it, but host drivers there do DMA untranslated"
        return HostCheck("iommu-domains", .pass, summary + note, evidence: evidence)
    }

    // MARK: Helpers

    private func hardwareEvidence(_ host: HostFacts) -> [Evidence] {
        let tables = host.tables.hasACPI
            ? Self.list(host.tables.iommuTables.map(\.rawValue), empty: "no DMAR, IVRS, VIOT or IORT table")
            : "missing (no ACPI)"
        return [Evidence(host.tables.path, tables),
                Evidence(root.iommuUnits, Self.list(host.units.map(\.name), empty: "no units"))]
    }

    private func groupCountText(_ host: HostFacts) -> String {
        let noIOMMU = host.groups.count - host.iommuGroups.count
        return Self.count(host.iommuGroups.count, "IOMMU group")
            + (noIOMMU > 0 ? " and " + Self.count(noIOMMU, "no-IOMMU group") + " (name vfio-noiommu)" : "")
    }

    func commandLineEvidence(_ host: HostFacts) -> Evidence {
        guard let line = host.commandLine else { return Evidence(root.commandLine, "unreadable") }
        return Evidence(root.commandLine, Self.list(line.iommuParameters.map(\.text), empty: "no IOMMU parameters"))
    }

    /// What turns the IOMMU on, from the tables and what the command line says now.
    private func enableFix(_ host: HostFacts) -> String {
        let line = host.commandLine
        let reboot = " on the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub) and reboot"
        if line?.options("iommu").contains("off") == true {
            return "Remove iommu=off" + reboot + "."
        }
        let tables = host.tables.iommuTables
        if tables.contains(.dmar) {
            let state = line?.options("intel_iommu").last { $0 == "on" || $0 == "off" }
            if state == "off" { return "Replace intel_iommu=off with intel_iommu=on" + reboot + "." }
            if state == nil {
                return "Add intel_iommu=on" + reboot + " (kernels built without CONFIG_INTEL_IOMMU_DEFAULT_ON "
                    + "leave VT-d off). If it still stays off, check dmesg for DMAR errors."
            }
            return "intel_iommu=on is set, yet VT-d stayed off: check that VT-d is enabled in the firmware setup and "
                + "look for DMAR errors in dmesg."
        }
        if tables.contains(.ivrs) {
            if line?.options("amd_iommu").contains("off") == true { return "Remove amd_iommu=off" + reboot + "." }
            return "Check that the IOMMU (AMD-Vi) is enabled in the firmware setup and look for AMD-Vi errors in dmesg."
        }
        if tables.contains(.viot) {
            return "The kernel needs the virtio-iommu driver (CONFIG_VIRTIO_IOMMU) and a driver bound to each device "
                + "it should group; check dmesg for virtio-iommu."
        }
        return "The IOMMU driver found no devices to group; check dmesg for IOMMU errors."
    }
}
