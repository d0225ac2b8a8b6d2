import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The VFIO pieces: modules, `/dev/vfio/vfio` and its provider, `/dev/iommu`,
/// device cdevs and the no-IOMMU mode.
extension HostDoctor {
    /// vfio, vfio_iommu_type1, vfio_pci and iommufd: built in, loaded, loadable or absent.
    func vfioModules() -> HostCheck {
        let modules = ["vfio", "vfio_iommu_type1", "vfio_pci", "iommufd"].map { KernelModule.find($0, root: root) }
        let evidence = modules.map { Evidence($0.evidence, $0.state.rawValue) }
        let state = Dictionary(uniqueKeysWithValues: modules.map { ($0.name, $0.state) })
        let missing = modules.filter { $0.state == .absent && $0.name != "iommufd" }.map(\.name)
        let backendMissing = state["vfio_iommu_type1"] == .absent && state["iommufd"] == .absent
        if missing.contains("vfio") || missing.contains("vfio_pci") || backendMissing {
            return HostCheck("vfio-modules", .fail, "this kernel lacks " + missing.joined(separator: ", "),
                             evidence: evidence,
                             fix: "Boot a kernel built with CONFIG_VFIO, CONFIG_VFIO_PCI and CONFIG_VFIO_IOMMU_TYPE1 "
                                + "(every major distribution kernel has them as modules).")
        }
        let loadable = modules.filter { $0.state == .loadable }.map(\.name)
        if !loadable.isEmpty {
            return HostCheck("vfio-modules", .warn, "not loaded yet: " + loadable.joined(separator: ", "),
                             evidence: evidence,
                             fix: "modprobe -a " + loadable.map { $0 == "vfio_pci" ? "vfio-pci" : $0 }.joined(separator: " ")
                                + " (add them to /etc/modules-load.d/vfio.conf to load them at boot)")
        }
        let summary = modules.filter(\.isPresent).map(\.name).joined(separator: ", ") + " present"
            + (state["iommufd"] == .absent ? "; no iommufd (legacy container route only)" : "")
        return HostCheck("vfio-modules", .pass, summary, evidence: evidence)
    }

    /// `/dev/vfio/vfio`: the API version, the IOMMU backends it offers and who
    /// serves it, by asking a fresh container.
    func container() -> HostCheck {
        let probe: ContainerProbe
        do {
            probe = try ContainerProbe.run(root: root)
        } catch {
            let evidence = [Evidence("\(error.operation) \(error.path)", error.errno.description)]
            let code = error.errno.rawValue
            if error.operation == .open, code == ENOENT {
                let status: HostCheck.Status = FileSystem.exists(root.iommu) ? .warn : .fail
                return HostCheck("container", status, "no \(root.container): the legacy group route is unavailable",
                                 evidence: evidence,
                                 fix: "modprobe vfio (its node comes with it); a kernel with iommufd can also serve "
                                    + "it (CONFIG_IOMMUFD_VFIO_CONTAINER).")
            }
            if error.operation == .open, code == EACCES || code == EPERM, !privileges.isRoot {
                return HostCheck("container", .skip, "\(root.container) is not accessible to this user",
                                 evidence: evidence, fix: "Run as root, or restore the node's mode 0666.", needsRoot: true)
            }
            return HostCheck("container", .fail, error.description, evidence: evidence,
                             fix: ErrorAdvice.explain(error, context: DiagnosisContext(root: root)))
        }
        let names = probe.extensions.map(\.description)
        let evidence = [
            Evidence("\(VFIOOperation.getAPIVersion) on \(probe.path)", "\(probe.apiVersion)"),
            Evidence("\(VFIOOperation.checkExtension) on \(probe.path)", Self.list(names, empty: "none")),
            Evidence("\(VFIOOperation.ioasAlloc) on \(probe.path)", probe.providerAnswer),
        ]
        let served = "served by \(probe.provider == .vfio ? "vfio (its container)" : "iommufd (VFIO compatibility)")"
        if probe.extensions.contains(.type1v2) || probe.extensions.contains(.type1) {
            let best = probe.extensions.contains(.type1v2) ? VFIOExtension.type1v2 : .type1
            return HostCheck("container", .pass, "\(served), offers \(best)", evidence: evidence)
        }
        if probe.extensions.contains(.noIOMMU) {
            return HostCheck("container", .warn, "\(served), offers only the no-IOMMU backend", evidence: evidence,
                             fix: "modprobe vfio_iommu_type1 for the IOMMU backend.")
        }
        return HostCheck("container", .fail, "\(served), offers no IOMMU backend", evidence: evidence,
                         fix: "modprobe vfio_iommu_type1.")
    }

    /// `/dev/iommu`: allocate an IOAS and destroy it again. The node is 0660
    /// root, so this part needs root.
    func iommufd() -> HostCheck {
        guard FileSystem.exists(root.iommu) else {
            let module = KernelModule.find("iommufd", root: root)
            let fix = switch module.state {
            case .loadable: "modprobe iommufd"
            case .absent: "A kernel with CONFIG_IOMMUFD (Linux 6.2+) offers it; Debian 12's does not."
            case .builtIn, .loaded: "iommufd is there but its node is not: check that devtmpfs is mounted on /dev "
                + "and that no udev rule removes it."
            }
            return HostCheck("iommufd", .warn, "no \(root.iommu): no device cdev route (the group route still works)",
                             evidence: [Evidence(root.iommu, "missing"), Evidence(module.evidence, module.state.rawValue)],
                             fix: fix)
        }
        do {
            let context = try IOMMUFD(root: root)
            let ioas = try context.ioasAlloc()
            try context.destroy(ioas)
            return HostCheck("iommufd", .pass, "\(root.iommu) allocates and destroys an IOAS",
                             evidence: [Evidence("\(VFIOOperation.ioasAlloc) on \(root.iommu)", "IOAS \(ioas)"),
                                        Evidence("\(VFIOOperation.iommuDestroy) on \(root.iommu)", "ok")])
        } catch {
            let evidence = [Evidence("\(error.operation) on \(error.path)", error.errno.description)]
            let code = error.errno.rawValue
            if error.operation == .open, code == EACCES || code == EPERM, !privileges.isRoot {
                return HostCheck("iommufd", .skip, "opening \(root.iommu) needs root (mode 0660)", evidence: evidence,
                                 needsRoot: true)
            }
            return HostCheck("iommufd", .fail, error.description, evidence: evidence,
                             fix: ErrorAdvice.explain(error, context: DiagnosisContext(root: root)))
        }
    }

    /// Device cdevs (`/dev/vfio/devices/vfioX`, CONFIG_VFIO_DEVICE_CDEV): the
    /// kernel registers the `vfio-dev` character major when it has them.
    func deviceCdev() -> HostCheck {
        let registered: RegisteredDevices
        switch RegisteredDevices.read(root) {
        case .success(let value): registered = value
        case .failure(let errno):
            return HostCheck("device-cdev", .skip, "cannot read the registered devices",
                             evidence: [Evidence(root.registeredDevices, "unreadable: \(errno)")])
        }
        let devices = (try? FileSystem.list(root.vfioDevClass).get()) ?? []
        let withNode = devices.filter { FileSystem.exists(root.vfioDevClass + "/" + $0 + "/dev") }
        var evidence = [Evidence(root.registeredDevices, registered.characterMajors["vfio-dev"]
            .map { "vfio-dev: major \($0)" } ?? "no vfio-dev major")]
        evidence.append(Evidence(root.vfioDevClass, "\(Self.count(devices.count, "VFIO device")), "
            + "\(withNode.count) with a cdev (dev attribute)"))
        guard registered.characterMajors["vfio-dev"] != nil else {
            return HostCheck("device-cdev", .warn, "no VFIO device cdevs: devices open only through their group",
                             evidence: evidence,
                             fix: "A kernel with CONFIG_VFIO_DEVICE_CDEV (Linux 6.6+, needs iommufd) has them; "
                                + "the group route (/dev/vfio/N) works without.")
        }
        return HostCheck("device-cdev", .pass, "VFIO device cdevs supported (/dev/vfio/devices/vfioX)",
                         evidence: evidence)
    }

    /// VFIO's unsafe no-IOMMU mode and the taint it leaves: the kernel sets
    /// TAINT_USER when it creates the first no-IOMMU group.
    func noIOMMU(_ host: HostFacts) -> HostCheck {
        let parameter = ModuleParameter.read("vfio", "enable_unsafe_noiommu_mode", root: root)
        let groups = host.groups.filter(\.noIOMMU)
        var evidence = [Evidence(parameter.path, parameter.value ?? "missing (kernel without CONFIG_VFIO_NOIOMMU, "
                                     + "or vfio not loaded)")]
        evidence.append(Evidence(root.iommuGroups + "/N/name", groups.isEmpty ? "no vfio-noiommu groups"
                                     : "vfio-noiommu: groups " + groups.map(\.id.description).joined(separator: " ")))
        let taint = try? KernelTaint.read(root).get()
        evidence.append(Evidence(root.tainted, taint.map {
            "\($0.mask) (TAINT_USER, bit \(KernelTaint.userBit): \($0.user ? "set" : "clear"))"
        } ?? "unreadable"))
        guard parameter.flag == true else {
            return HostCheck("noiommu", .pass, "unsafe no-IOMMU mode is off", evidence: evidence)
        }
        let tainted = taint?.user == true ? "; the kernel is tainted (TAINT_USER)"
            : groups.isEmpty ? "; the kernel taints itself (TAINT_USER) when the first no-IOMMU group is made" : ""
        return HostCheck("noiommu", .warn, "unsafe no-IOMMU mode is on: devices can be handed to userspace with no DMA "
                            + "protection" + tainted, evidence: evidence,
                         fix: "Unless this is meant (DPDK on a host without an IOMMU), write N to \(parameter.path) and "
                            + "drop vfio.enable_unsafe_noiommu_mode from the kernel command line; only a reboot "
                            + "clears the taint.")
    }
}
