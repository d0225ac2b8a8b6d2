import VFIOCore
import VFIOSysfs

/// MSI isolation: interrupt remapping, and the two parameters that let VFIO
/// go without it.
extension HostDoctor {
    /// `IR-` interrupt chips in `/proc/interrupts` show the kernel remapping;
    /// a VT-d unit's ecap bit 3 shows the hardware could.
    func interruptRemapping(_ host: HostFacts) -> HostCheck {
        var evidence = host.units.map(registerEvidence)
        let table: InterruptTable
        switch InterruptTable.read(root) {
        case .success(let value): table = value
        case .failure(let errno):
            evidence.append(Evidence(root.interrupts, "unreadable: \(errno)"))
            return HostCheck("interrupt-remapping", .skip, "cannot read the interrupt table", evidence: evidence)
        }
        let chips = table.remappingChips
        evidence.append(Evidence(root.interrupts, chips.isEmpty
            ? "no IR- interrupt chips among \(Self.count(table.chips.count, "interrupt line"))"
            : Self.list(Array(chips.prefix(3)), empty: "") + (chips.count > 3 ? " and \(chips.count - 3) more" : "")))
        if !chips.isEmpty {
            return HostCheck("interrupt-remapping", .pass, "the kernel remaps interrupts, so VFIO can isolate MSIs",
                             evidence: evidence)
        }
        guard !host.units.isEmpty else {
            return HostCheck("interrupt-remapping", .skip, "no IOMMU unit to remap interrupts", evidence: evidence)
        }
        let unsafe = " Until then vfio_iommu_type1 and iommufd refuse devices (EPERM) unless allow_unsafe_interrupts "
            + "is set, which is acceptable only for trusted devices."
        let capable = host.units.contains { unit in
            if case .intel(let registers) = unit.registers { return registers.interruptRemapping }
            return false
        }
        if capable {
            return HostCheck("interrupt-remapping", .warn, "the IOMMU can remap interrupts but the kernel does not",
                             evidence: evidence + [commandLineEvidence(host)],
                             fix: "Remove intremap=off or nointremap from the kernel command line and reboot." + unsafe)
        }
        return HostCheck("interrupt-remapping", .warn, "no interrupt remapping: VFIO cannot isolate MSIs",
                         evidence: evidence,
                         fix: "Use an IOMMU with interrupt remapping (enable it in the firmware; QEMU: intel-iommu or "
                            + "amd-iommu with intremap=on)." + unsafe)
    }

    /// `allow_unsafe_interrupts` of vfio_iommu_type1 and of iommufd: on, VFIO
    /// accepts devices whose MSIs it cannot isolate.
    func unsafeInterrupts() -> HostCheck {
        let parameters = ["vfio_iommu_type1", "iommufd"].map {
            ModuleParameter.read($0, "allow_unsafe_interrupts", root: root)
        }
        let evidence = parameters.map { Evidence($0.path, $0.value ?? "missing (module not loaded)") }
        let on = parameters.filter { $0.flag == true }
        guard on.isEmpty else {
            return HostCheck("unsafe-interrupts", .warn,
                             "VFIO accepts devices without MSI isolation: a device can raise interrupts it was not given",
                             evidence: evidence,
                             fix: "Unless this host has no interrupt remapping and only trusted devices, write N to "
                                + on.map(\.path).joined(separator: " and ") + " and drop the module option that sets it.")
        }
        return HostCheck("unsafe-interrupts", .pass, "off: VFIO insists on MSI isolation", evidence: evidence)
    }

    private func registerEvidence(_ unit: IOMMUUnit) -> Evidence {
        switch unit.registers {
        case .intel(let registers):
            return Evidence(unit.path + "/intel-iommu/ecap", "0x" + String(registers.ecap, radix: 16)
                + " (IR, bit 3: " + (registers.interruptRemapping ? "set" : "clear") + ")")
        case .amd(_, let features):
            return Evidence(unit.path + "/amd-iommu/features", "0x" + String(features, radix: 16)
                + " (AMD-Vi remaps interrupts when the kernel enables it)")
        case .none:
            return Evidence(unit.path, "no interrupt remapping registers (virtio-iommu or Arm SMMU)")
        }
    }
}
