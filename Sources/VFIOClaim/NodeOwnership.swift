#if canImport(Glibc)
import Glibc
#endif
import VFIOCore
import VFIOSysfs

/// Gives a claimed group's device nodes to `--owner`, recording each node's
/// ownership first, and puts it back on release.
struct NodeOwnership {
    let paths: HostPaths

    /// The nodes an unprivileged VMM needs: `/dev/vfio/N`, each member's cdev,
    /// and `/dev/iommu` (group read-write only: it is shared by every group).
    func nodes(_ group: IOMMUGroupID, members: [PCIDevice]) -> [(path: String, shared: Bool)] {
        var nodes: [(String, Bool)] = []
        if let node = paths.dev.existingGroupNode(group) { nodes.append((node.path, false)) }
        nodes += members.compactMap(\.vfioDevice).map { (paths.dev.cdev($0), false) }
        if FileSystem.exists(paths.dev.iommu) { nodes.append((paths.dev.iommu, true)) }
        return nodes
    }

    /// Hands the nodes to `owner`; records in `journal` the nodes it changes
    /// (keeping an earlier record: the first one is the original).
    ///
    /// The corresponding calls are `stat(2)`, `chown(2)` and `chmod(2)`.
    func apply(_ owner: NodeOwner, group: IOMMUGroupID, members: [PCIDevice], journal: inout Journal)
        throws(ClaimError) -> [String]
    {
        var changed: [String] = []
        for (path, shared) in nodes(group, members: members) {
            let now = try status(path)
            let uid = shared ? now.uid : owner.uid
            let mode = shared ? now.mode | 0o060 : 0o660
            guard now.uid != uid || now.gid != owner.gid || now.mode != mode else { continue }
            if !journal.nodes.contains(where: { $0.path == path }) { journal.nodes.append(now) }
            try set(path, uid: uid, gid: owner.gid, mode: mode)
            changed.append(path)
        }
        journal.owner = "\(owner.uid):\(owner.gid)"
        return changed
    }

    /// Puts recorded nodes that still exist back; a node gone with its driver needs nothing.
    func restore(_ nodes: [Journal.Node]) throws(ClaimError) {
        for node in nodes where FileSystem.exists(node.path) {
            try set(node.path, uid: node.uid, gid: node.gid, mode: node.mode)
        }
    }

    /// The node's owner, group and permission bits.
    func status(_ path: String) throws(ClaimError) -> Journal.Node {
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure(path, errno, "stat") }
        return Journal.Node(path: path, uid: info.st_uid, gid: info.st_gid, mode: info.st_mode & 0o7777)
    }

    private func set(_ path: String, uid: UInt32, gid: UInt32, mode: UInt32) throws(ClaimError) {
        guard chown(path, uid, gid) == 0 else { throw failure(path, errno, "chown") }
        guard chmod(path, mode_t(mode)) == 0 else { throw failure(path, errno, "chmod") }
    }

    private func failure(_ path: String, _ code: Int32, _ call: String) -> ClaimError {
        ClaimError(code == EPERM || code == EACCES ? .permission : .failed, code: "node-ownership",
                   "\(call) \(path): \(Errno(rawValue: code))", path: path, errno: Errno(rawValue: code))
    }
}
