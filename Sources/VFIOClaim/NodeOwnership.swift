import Glibc
import LinuxSystem
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
        if let node = paths.root.existingGroupNode(group) { nodes.append((node.path, false)) }
        nodes += members.compactMap(\.vfioDevice).map { (paths.root.cdev($0), false) }
        if FileSystem.exists(paths.root.iommu) { nodes.append((paths.root.iommu, true)) }
        return nodes
    }

    /// Hands the nodes to `owner`; records in `journal` the nodes it changes
    /// (keeping an earlier record: the first one is the original).
    ///
    /// Each node is opened once with `O_PATH | O_NOFOLLOW`, checked to be a
    /// character device, and changed through that handle.
    func apply(_ owner: NodeOwner, group: IOMMUGroupID, members: [PCIDevice], journal: inout Journal)
        throws(ClaimError) -> [String]
    {
        var changed: [String] = []
        for (path, shared) in nodes(group, members: members) {
            guard let handle = try openNode(path, missingIsFine: false) else { continue }
            let now = Journal.Node(path: path, uid: handle.info.uid, gid: handle.info.gid,
                                   mode: handle.info.mode)
            let uid = shared ? now.uid : owner.uid
            let mode = shared ? now.mode | 0o060 : 0o660
            guard now.uid != uid || now.gid != owner.gid || now.mode != mode else { continue }
            if !journal.nodes.contains(where: { $0.path == path }) { journal.nodes.append(now) }
            try set(handle, uid: uid, gid: owner.gid, mode: mode)
            changed.append(path)
        }
        journal.owner = "\(owner.uid):\(owner.gid)"
        return changed
    }

    /// Puts recorded nodes that still exist back; a node gone with its driver needs nothing.
    func restore(_ nodes: [Journal.Node]) throws(ClaimError) {
        for node in nodes {
            guard let handle = try openNode(node.path, missingIsFine: true) else { continue }
            try set(handle, uid: node.uid, gid: node.gid, mode: node.mode)
        }
    }

    /// The node's owner, group and permission bits.
    func status(_ path: String) throws(ClaimError) -> Journal.Node {
        guard let handle = try openNode(path, missingIsFine: false) else { preconditionFailure("a missing node throws") }
        return Journal.Node(path: path, uid: handle.info.uid, gid: handle.info.gid,
                            mode: handle.info.mode)
    }

    /// A node opened as a name only and checked to be a character device, so
    /// that a symlink or file put in its place is refused, not followed.
    private struct Handle: ~Copyable {
        let info: FileStatus
        let fd: FileDescriptor
    }

    /// Opens `path` with `O_PATH | O_NOFOLLOW` and `fstat`s the handle; nil when
    /// it does not exist and `missingIsFine`.
    private func openNode(_ path: String, missingIsFine: Bool) throws(ClaimError) -> Handle? {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.openPathOnly(path)
        } catch {
            if missingIsFine && error.rawValue == ENOENT { return nil }
            throw failure(path, error, "open")
        }
        let info: FileStatus
        do { info = try fd.status().get() } catch { throw failure(path, error, "fstat") }
        guard info.kind == .characterDevice else {
            throw ClaimError(.failed, code: "node-not-device",
                             "\(path) is not a character device (a symlink or file stands in its place); "
                                 + "its owner and mode are left alone", path: path)
        }
        return Handle(info: info, fd: fd)
    }

    /// Owner first, then mode, both through the opened handle.
    private func set(_ handle: borrowing Handle, uid: UInt32, gid: UInt32, mode: UInt32) throws(ClaimError) {
        let path = handle.fd.path
        do { try handle.fd.changeOwner(uid: uid, gid: gid) } catch { throw failure(path, error, "fchownat") }
        do { try handle.fd.changeMode(mode) } catch { throw failure(path, error, "chmod") }
    }

    private func failure(_ path: String, _ errno: Errno, _ call: String) -> ClaimError {
        ClaimError(errno.rawValue == EPERM || errno.rawValue == EACCES ? .permission : .failed, code: "node-ownership",
                   "\(call) \(path): \(errno)", path: path, errno: errno)
    }
}
