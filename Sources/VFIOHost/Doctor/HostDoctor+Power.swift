import VFIOCore

extension HostDoctor {
    /// vfio-pci's parameters that change how it powers and exposes devices:
    /// `disable_idle_d3` (keep idle devices in D0), `disable_vga` (no VGA
    /// regions or arbitration) and `enable_sriov` (VFs of a PF it holds).
    ///
    /// The corresponding files are `/sys/module/vfio_pci/parameters/{disable_idle_d3,disable_vga,enable_sriov}`.
    func vfioPCIParameters() -> HostCheck {
        let idle = ModuleParameter.read("vfio_pci", "disable_idle_d3", root: root)
        let vga = ModuleParameter.read("vfio_pci", "disable_vga", root: root)
        let sriov = ModuleParameter.read("vfio_pci", "enable_sriov", root: root)
        let evidence = [idle, vga, sriov].map { Evidence($0.path, $0.value ?? "missing") }
        guard idle.value != nil || vga.value != nil else {
            return HostCheck("vfio-pci-parameters", .skip, "vfio-pci is not loaded, so its parameters cannot be read",
                             evidence: evidence)
        }
        var notes: [String] = []
        notes.append(idle.flag == true
            ? "idle devices stay in D0 (disable_idle_d3=Y): for devices that fail to come back from D3"
            : "idle devices go to D3hot (disable_idle_d3=N): if one fails to come back (some GPUs and NVMe), set "
                + "vfio_pci.disable_idle_d3=1")
        notes.append(vga.flag == true
            ? "no VGA regions (disable_vga=Y): a GPU passed as the guest's boot VGA needs them"
            : "VGA regions and arbitration on (disable_vga=N): set vfio_pci.disable_vga=1 when no GPU is passed as "
                + "boot VGA, so the host's own VGA keeps its I/O ranges")
        if sriov.flag == true {
            notes.append("VFs of a PF bound to vfio-pci can be enabled (enable_sriov=Y); their users need the PF's vf_token")
        }
        return HostCheck("vfio-pci-parameters", .pass, notes.joined(separator: "; "), evidence: evidence)
    }
}
