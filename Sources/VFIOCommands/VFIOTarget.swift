import LinuxSystem
import VFIOCore
import VFIOSysfs

/// A device ready to be opened through VFIO: it exists, its group is viable,
/// it is bound to vfio-pci and its group is IOMMU-backed. Everything is read
/// from sysfs and /dev before any node is opened.
struct VFIOTarget: Sendable {
    let address: PCIAddress
    let group: IOMMUGroupID

    /// Checks `target` in order: exists (64), has a group (69 on a host
    /// without an IOMMU, 2 otherwise), the group is viable (2, with the
    /// reasons and fixes), the device is bound to vfio-pci (2, with the
    /// commands that bind it), the group is not a no-IOMMU group (69).
    /// A group target means its first member bound to vfio-pci.
    ///
    /// The corresponding files are `/sys/bus/pci/devices/BDF/{iommu_group,driver}`,
    /// `/sys/kernel/iommu_groups/N/` and `/dev/vfio/N` or `/dev/vfio/noiommu-N`.
    static func prepare(_ target: Target, reader: SysfsReader, root: HostRoot) throws(CommandFailure) -> VFIOTarget {
        let (resolvedGroup, resolvedDevice) = try target.resolve(reader)
        guard let id = resolvedGroup else {
            let address = resolvedDevice?.address
            let hasGroups = (try? reader.groupIDs().get())?.isEmpty == false
            let verdict = hasGroups ? address.map(Verdict.noGroup) ?? .noIOMMU : .noIOMMU
            throw refusal(verdict, subject: target.description, status: hasGroups ? .notViable : .unavailable)
        }
        let group = reader.group(id)
        let verdict = Verdict.of(group)
        guard verdict.isViable else {
            throw refusal(verdict, subject: "\(target) (group \(id))", status: .notViable)
        }
        let device: PCIDevice
        if let resolvedDevice {
            device = resolvedDevice
        } else if let bound = group.devices.first(where: { $0.driver?.isVFIO == true }) {
            device = bound
        } else {
            throw CommandFailure(.notViable, code: "not-bound",
                                 "no device of group \(id) is bound to vfio-pci; claim the group first: "
                                     + "vfioadm claim \(id) (see the writes with --dry-run)")
        }
        guard device.driver?.isVFIO == true else {
            let current = device.driver.map { "bound to \($0)" } ?? "not bound to any driver"
            throw CommandFailure(.notViable, code: "not-bound",
                                 "\(device.address) is \(current), not vfio-pci; claim its group first: "
                                     + "vfioadm claim \(device.address) (see the writes with --dry-run)",
                                 path: reader.root.device(device.address) + "/driver")
        }
        if let node = root.existingGroupNode(id), node.noIOMMU {
            throw CommandFailure(.unavailable, code: "no-iommu-group",
                                 "group \(id) is a no-IOMMU group (\(node.path)): no IOMMU translates "
                                     + "\(device.address)'s DMA, so there is nothing to map; vfio's "
                                     + "enable_unsafe_noiommu_mode gives raw, unprotected device access only",
                                 path: node.path)
        }
        return VFIOTarget(address: device.address, group: id)
    }

    private static func refusal(_ verdict: Verdict, subject: String, status: ExitStatus) -> CommandFailure {
        let lines = ["\(subject): \(verdict.status.rawValue), refusing to open it"] + TextLayout.reasons(verdict)
        return CommandFailure(status, code: verdict.status.rawValue, lines.joined(separator: "\n"))
    }
}
