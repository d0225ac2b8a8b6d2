import LinuxSystem
import VFIOCore
import VFIOHost
import VFIOSysfs

/// Processes holding a device node open: a group's VFIO nodes, or any node
/// of a device below a function (DRM card, NVMe controller and namespaces,
/// sg, uverbs, sound, tty), matched by `st_rdev`.
enum OpenNodes {
    /// The group's VFIO nodes by device number: `/dev/vfio/N` and each member's cdev.
    ///
    /// The corresponding call is `stat(2)` of each node.
    static func vfioNodes(_ group: IOMMUGroup, paths: HostPaths) -> [DeviceNode: String] {
        var nodes: [DeviceNode: String] = [:]
        var candidates = group.devices.compactMap(\.vfioDevice).map(paths.root.cdev)
        if let node = paths.root.existingGroupNode(group.id) { candidates.insert(node.path, at: 0) }
        for path in candidates {
            guard case .success(let info) = FileSystem.characterDevice(path), info.isCharacterDevice else { continue }
            nodes[DeviceNode(isBlock: false, number: info.rdev)] = path
        }
        return nodes
    }

    /// The nodes of every block and character device below the function, named as in /dev.
    static func deviceNodes(_ function: FunctionDevices) -> [DeviceNode: String] {
        var nodes: [DeviceNode: String] = [:]
        for node in function.blocks + function.chars { nodes[node.node] = FunctionDevices.devName(node) }
        return nodes
    }

    /// Processes holding the group's VFIO nodes open.
    ///
    /// The corresponding files are `/proc/PID/fd/*`.
    static func holders(_ group: IOMMUGroup, paths: HostPaths) -> [NodeHolder] {
        ProcessScan.holders(of: vfioNodes(group, paths: paths), procRoot: paths.root.proc)
    }

    /// An open-node hazard for each process holding the group's VFIO nodes, with `fix` for it.
    static func hazards(_ group: IOMMUGroup, paths: HostPaths, fix: (NodeHolder) -> String) -> [Hazard] {
        holders(group, paths: paths).map { holder in
            Hazard(.openNode, device: nil, "\(holder.path) is held open by \(holder)", fix: fix(holder),
                   evidence: [.init(paths.root.proc + "/\(holder.pid)/fd", holder.path)])
        }
    }
}
