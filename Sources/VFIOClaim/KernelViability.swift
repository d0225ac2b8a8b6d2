import LinuxSystem
import VFIOCore
import VFIOSysfs

/// Whether a group is viable after a claim.
public protocol GroupViability: Sendable {
    func isViable(_ group: IOMMUGroupID) throws(ClaimError) -> Bool
}

/// The kernel's own word on a group: `VFIO_GROUP_GET_STATUS` on its node.
struct KernelViability: GroupViability {
    let root: HostRoot

    /// Whether the kernel reports the group viable; opening the node also proves nobody else holds it.
    ///
    /// The corresponding ioctl is `VFIO_GROUP_GET_STATUS`.
    func isViable(_ group: IOMMUGroupID) throws(ClaimError) -> Bool {
        guard let node = root.existingGroupNode(group) else {
            throw ClaimError(.failed, code: "no-group-node",
                             "group \(group) has no \(root.groupNode(group)) after the claim: no member reached vfio-pci",
                             path: root.groupNode(group))
        }
        do {
            return try VFIOGroup(path: node.path).status().contains(.viable)
        } catch {
            throw ClaimError(.failed, code: "group-status", "\(error)", path: node.path, errno: error.errno)
        }
    }
}
