import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// What `ErrorAdvice` may look at besides the error: the host root (sysfs,
/// `/proc` and /dev), injectable, and what the caller knows about the target.
public struct DiagnosisContext: Sendable {
    public var root: HostRoot
    /// The group involved; found from `device` or from the error's path when nil.
    public var group: IOMMUGroupID?
    public var device: PCIAddress?
    /// Bytes the failed map asked for.
    public var mapLength: UInt64?
    /// The memlock limit to report; nil reads this process's.
    public var memlock: MemlockLimit?

    public init(root: HostRoot = HostRoot(),
                group: IOMMUGroupID? = nil, device: PCIAddress? = nil, mapLength: UInt64? = nil,
                memlock: MemlockLimit? = nil)
    {
        self.root = root
        self.group = group
        self.device = device
        self.mapLength = mapLength
        self.memlock = memlock
    }
}

/// Turns an errno at a given call into what an administrator can act on, by
/// looking where the kernel's reasons are visible: the group's devices and their
/// drivers, its `reserved_regions`, module parameters, the memlock limit, and
/// the processes holding a node.
public enum ErrorAdvice {
    /// Advice for `error`, or nil when there is nothing to add to its description.
    public static func explain(_ error: VFIOError, context: DiagnosisContext = DiagnosisContext()) -> String? {
        let group = resolveGroup(error, context: context)
        let errno = error.errno.rawValue
        let op = error.operation
        switch errno {
        case EPERM where op.claimsDMAOwnership || op == .groupGetStatus:
            return ownershipAdvice(error, group: group, context: context)
        case EPERM where op == .setIOMMU:
            let knob = context.root.modules + "/vfio_iommu_type1/parameters/allow_unsafe_interrupts"
            return "The IOMMU cannot isolate this group's MSIs (no interrupt remapping), so vfio_iommu_type1 "
                + "refuses it; dmesg says \"No interrupt remapping support\". Enable interrupt remapping in the "
                + "firmware and kernel, or, only for a trusted device, set \(knob) to Y (now \(value(knob)))."
        case EINVAL where op.claimsDMAOwnership:
            return firmwareMappingAdvice(group: group, context: context) ?? invalidClaimAdvice(op)
        case ENOMEM where op.isMap:
            return memlockAdvice(op, context: context)
        case ENOSPC where op == .iommuMapDMA:
            let knob = context.root.modules + "/vfio_iommu_type1/parameters/dma_entry_limit"
            return "The container has used all its DMA mappings: vfio_iommu_type1's dma_entry_limit is "
                + "\(value(knob)) per container (\(knob)). Use fewer, larger mappings, or raise the limit "
                + "before the container's IOMMU is set."
        case ENOSPC where op == .ioasMap:
            return "No free IOVA range in the IOAS is large enough" + (context.mapLength.map { " for \(formatBytes($0))" } ?? "")
                + ". Map less, unmap something, or give a fixed IOVA."
        case EBUSY where op == .open:
            return busyNodeAdvice(error, group: group, context: context)
        case EBUSY where op == .deviceBindIOMMUFD:
            var text = "The device's group node is open (legacy VFIO use), which excludes binding the cdev."
            if let group {
                text += holdersSentence([context.root.groupNode(group)], context: context)
            }
            return text
        case EBUSY where op == .groupSetContainer:
            return "The group is attached to an IOMMU domain other than its default one (another user set it up), "
                + "or a PASID is attached; the kernel hands over only groups in their default domain."
        case EBUSY where op == .groupUnsetContainer:
            return "Device descriptors of the group are still open; close them first."
        case EEXIST where op.isMap:
            return "The IOVA range overlaps an existing mapping; unmap it first or choose another IOVA."
        case EINVAL where op.isMap:
            return "The IOVA range lies outside the usable IOVA ranges (check them: reserved regions such as the "
                + "MSI window are excluded), or the IOVA, address or length is not aligned to the IOMMU page size."
        case ENOENT where op == .ioasUnmap:
            return "Nothing is mapped there, or the range cuts through a mapping: iommufd unmaps whole mappings only."
        case EADDRINUSE where op == .deviceAttachIOMMUFDPT || op == .ioasAllowIOVAs:
            return "The device's reserved regions (e.g. its MSI window) collide with existing mappings or with "
                + "the IOAS's allowed IOVA ranges."
        case ENODEV where op == .groupGetDeviceFD:
            return "No device of that name is in the group; names look like 0000:00:03.0."
        case ENOENT where op == .open:
            return missingNodeAdvice(error.path, group: group, context: context)
        case EACCES where op == .open:
            return "\(error.path) is not accessible to this user: VFIO nodes are root's (mode 0600, /dev/iommu 0660) "
                + "unless a udev rule or libvirt changes them. Run as root or grant access to the node."
        default:
            return nil
        }
    }

    // MARK: Cases

    private static func ownershipAdvice(_ error: VFIOError, group: IOMMUGroupID?, context: DiagnosisContext) -> String {
        if error.path.contains("noiommu-") {
            return "No-IOMMU groups need CAP_SYS_RAWIO, and cannot share a container with IOMMU-backed groups."
        }
        guard let group else {
            return "A device in the group is bound to a kernel driver that uses DMA, or another user owns the group."
        }
        let members = groupMembers(group, context: context)
        let blockers = members.filter { member in
            guard let driver = member.driver else { return false }
            return !(DriverName(rawValue: driver)?.managesDMA ?? false)
        }
        if !blockers.isEmpty {
            let list = blockers.map { "\($0.name) is bound to \($0.driver ?? "?")" }.joined(separator: ", ")
            return "IOMMU group \(group) is still used by the kernel: \(list). These drivers do DMA through the "
                + "kernel's DMA API, and the kernel does not hand a group to userspace while any of them is bound. "
                + "Unbind \(blockers.count == 1 ? "it" : "them") (or bind to vfio-pci), then retry."
        }
        var text = "No device in IOMMU group \(group) is bound to a kernel DMA driver, so another user owns the group"
        if error.operation == .deviceBindIOMMUFD || error.operation == .groupGetDeviceFD {
            let knob = context.root.modules + "/iommufd/parameters/allow_unsafe_interrupts"
            text += " (another process's iommufd or VFIO container), or the IOMMU cannot isolate MSIs and \(knob) "
                + "is \(value(knob))."
        } else {
            text += " (another process's VFIO container or iommufd)."
        }
        var nodes = [context.root.groupNode(group)]
        nodes += members.compactMap(\.cdev).map(context.root.cdev)
        return text + holdersSentence(nodes, context: context)
    }

    private static func firmwareMappingAdvice(group: IOMMUGroupID?, context: DiagnosisContext) -> String? {
        guard let group,
              case .success(let text) = FileSystem.readText(context.root.group(group) + "/reserved_regions")
        else { return nil }
        let direct = ReservedRegion.parseFile(text).regions.filter { $0.kind == .direct }
        guard !direct.isEmpty else { return nil }
        let ranges = direct.map(\.range).joined(separator: ", ")
        return "Firmware requires a 1:1 mapping of \(ranges) (a `direct` reserved region: an Intel RMRR, AMD IVMD "
            + "or Arm RMR) for a device in IOMMU group \(group), so the kernel will not hand the group to userspace; "
            + "dmesg says \"Firmware has requested this device have a 1:1 IOMMU mapping\". Only a firmware change "
            + "helps; choose another device."
    }

    private static func invalidClaimAdvice(_ op: VFIOOperation) -> String? {
        switch op {
        case .groupSetContainer:
            "The group is already attached to a container or iommufd."
        case .deviceBindIOMMUFD:
            "The device is already bound or open (one opener at a time), or its IOMMU does not enforce cache "
                + "coherency."
        case .groupGetDeviceFD:
            "The group has no container with an IOMMU type set yet (VFIO_SET_IOMMU comes first), or a VF token "
                + "was given where none applies."
        default:
            nil
        }
    }

    private static func memlockAdvice(_ op: VFIOOperation, context: DiagnosisContext) -> String {
        let limit = context.memlock ?? MemlockLimit.current()
        let shown = limit.map { "soft \($0.soft.map(formatBytes) ?? "unlimited"), hard \($0.hard.map(formatBytes) ?? "unlimited")" }
            ?? "unreadable"
        var text = "Pinning the memory would exceed RLIMIT_MEMLOCK (\(shown))"
        if let length = context.mapLength { text += " with this \(formatBytes(length)) mapping" }
        text += ". Raise the limit (ulimit -l, LimitMEMLOCK= in a systemd unit, /etc/security/limits.conf) above "
            + "all memory mapped for DMA, or run with CAP_IPC_LOCK."
        if op == .ioasMap {
            text += " iommufd charges pinned memory to the user, across all of its processes, unless "
                + "IOMMU_OPTION_RLIMIT_MODE is 1."
        }
        return text
    }

    private static func busyNodeAdvice(_ error: VFIOError, group: IOMMUGroupID?, context: DiagnosisContext) -> String {
        var nodes = [error.path]
        if let group,
           error.path == context.root.groupNode(group) || error.path == context.root.groupNode(group, noIOMMU: true) {
            nodes += groupMembers(group, context: context).compactMap(\.cdev).map(context.root.cdev)
        }
        let holders = ProcessScan.holders(of: nodes, procRoot: context.root.proc)
        var text = "\(error.path) is in use: a group node has one opener at a time, and cannot be opened while a "
            + "device of the group is open through its cdev."
        if holders.isEmpty {
            text += " No holder was found in \(context.root.proc) (other users' processes are visible only to root)."
        } else {
            text += " Held by " + holders.map { "\($0) (\($0.path))" }.joined(separator: ", ") + "."
        }
        return text
    }

    private static func missingNodeAdvice(_ path: String, group: IOMMUGroupID?, context: DiagnosisContext) -> String? {
        if path == context.root.iommu {
            return "\(path) does not exist: the kernel has no iommufd (CONFIG_IOMMUFD), or the module is not loaded."
        }
        if path == context.root.container {
            return "\(path) does not exist: the vfio module is not loaded (modprobe vfio-pci)."
        }
        if let group, path == context.root.groupNode(group) {
            return "\(path) does not exist: no device of IOMMU group \(group) is bound to vfio-pci yet (the node "
                + "appears with the first one)."
        }
        return nil
    }

    // MARK: Reading

    struct Member {
        let name: String
        let driver: String?
        /// `vfioX` when the device has a VFIO cdev.
        let cdev: String?
    }

    /// The group's devices with their drivers, from `/sys/kernel/iommu_groups/N/devices`.
    static func groupMembers(_ group: IOMMUGroupID, context: DiagnosisContext) -> [Member] {
        let directory = context.root.group(group) + "/devices"
        guard case .success(let names) = FileSystem.list(directory) else { return [] }
        return names.map { name in
            let driver = try? FileSystem.linkName(directory + "/" + name + "/driver").get()
            let cdev = (try? FileSystem.list(directory + "/" + name + "/vfio-dev").get())?
                .first { $0.hasPrefix("vfio") }
            return Member(name: name, driver: driver, cdev: cdev)
        }
    }

    private static func resolveGroup(_ error: VFIOError, context: DiagnosisContext) -> IOMMUGroupID? {
        if let group = context.group { return group }
        if let device = context.device, let group = try? DMASession.groupID(of: device, root: context.root) {
            return group
        }
        let prefix = context.root.vfio + "/"
        guard error.path.hasPrefix(prefix) else { return nil }
        var name = error.path.dropFirst(prefix.count)
        if name.hasPrefix("noiommu-") { name = name.dropFirst("noiommu-".count) }
        return IOMMUGroupID(name)
    }

    private static func holdersSentence(_ nodes: [String], context: DiagnosisContext) -> String {
        let holders = ProcessScan.holders(of: nodes, procRoot: context.root.proc)
        guard !holders.isEmpty else { return "" }
        return " Open by " + holders.map { "\($0) (\($0.path))" }.joined(separator: ", ") + "."
    }

    private static func value(_ path: String) -> String {
        switch FileSystem.readText(path) {
        case .success(let text): text
        case .failure(let errno): "unreadable: \(errno.name)"
        }
    }
}
