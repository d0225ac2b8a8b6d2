import VFIOCore
import VFIOSysfs

/// Processes holding a group's VFIO nodes open: `/dev/vfio/N` and each member's cdev.
enum OpenNodes {
    /// The corresponding files are `/proc/PID/fd/*`.
    static func holders(_ group: IOMMUGroup, paths: HostPaths) -> [NodeHolder] {
        var nodes: [String] = []
        if let node = paths.dev.existingGroupNode(group.id) { nodes.append(node.path) }
        nodes += group.devices.compactMap(\.vfioDevice).map(paths.dev.cdev)
        return ProcessScan.holders(of: nodes, procRoot: paths.sysfs.proc)
    }
}
