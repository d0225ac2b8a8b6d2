import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// A device node a VMM opens to use a held device, with its owner and mode now.
public struct VMMNode: Sendable {
    public enum Kind: String, Sendable {
        /// `/dev/vfio/N`: the group (legacy container/group uAPI).
        case group
        /// `/dev/vfio/vfio`: the legacy container.
        case container
        /// `/dev/vfio/devices/vfioX`: the device cdev (iommufd uAPI).
        case cdev
        /// `/dev/iommu`
        case iommufd
    }

    public let kind: Kind
    public let path: String
    public let exists: Bool
    public let uid: UInt32?
    public let gid: UInt32?
    /// The user and group names, when the host knows them.
    public let user: String?
    public let group: String?
    /// Permission bits, `0660`.
    public let mode: String?
}

/// The nodes one device of a held group needs.
public struct DeviceHandOff: Sendable {
    public let address: PCIAddress
    public let group: IOMMUGroupID
    public let driver: DriverName?
    public let nodes: [VMMNode]
}

/// Finds the nodes a VMM opens for a device: its group node and the container
/// (group backend), its cdev and `/dev/iommu` (iommufd backend).
public struct VMMNodes: Sendable {
    let paths: HostPaths

    public init(paths: HostPaths) {
        self.paths = paths
    }

    /// The corresponding files are `/dev/vfio/N` (or `noiommu-N`), `/dev/vfio/vfio`,
    /// `/dev/vfio/devices/vfioX` (named by sysfs `vfio-dev/`) and `/dev/iommu`, each `stat(2)`ed.
    public func handOff(_ device: PCIDevice, group: IOMMUGroupID) -> DeviceHandOff {
        var nodes = [node(.group, paths.root.existingGroupNode(group)?.path ?? paths.root.groupNode(group)),
                     node(.container, paths.root.container)]
        if let cdev = device.vfioDevice { nodes.append(node(.cdev, paths.root.cdev(cdev))) }
        nodes.append(node(.iommufd, paths.root.iommu))
        return DeviceHandOff(address: device.address, group: group, driver: device.driver, nodes: nodes)
    }

    private func node(_ kind: VMMNode.Kind, _ path: String) -> VMMNode {
        guard case .success(let info) = FileStatus.of(path) else {
            return VMMNode(kind: kind, path: path, exists: false, uid: nil, gid: nil, user: nil, group: nil, mode: nil)
        }
        let mode = "0" + String(info.mode, radix: 8).leftPadded(to: 3)
        return VMMNode(kind: kind, path: path, exists: true, uid: info.uid, gid: info.gid,
                       user: Self.userName(info.uid), group: Self.groupName(info.gid), mode: mode)
    }

    /// The corresponding call is `getpwuid_r(3)`.
    static func userName(_ uid: UInt32) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name
        else { return nil }
        return String(cString: name)
    }

    /// The corresponding call is `getgrgid_r(3)`.
    static func groupName(_ gid: UInt32) -> String? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getgrgid_r(gid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.gr_name
        else { return nil }
        return String(cString: name)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
