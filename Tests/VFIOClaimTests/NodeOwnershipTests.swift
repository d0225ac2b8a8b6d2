import Foundation
import LinuxSystem
import Testing
@testable import VFIOClaim
import VFIOCore
import VFIOSysfs

/// `--owner` changes a node only through a handle opened without following
/// links, so a symlink or file put where a node belongs is refused and the
/// file it names keeps its owner and mode.
@Suite struct NodeOwnershipTests {
    private let group = IOMMUGroupID(rawValue: 7)
    private let owner = NodeOwner(user: "nobody", uid: 65534, gid: 65534)

    /// A temporary `/dev/vfio/7` made by `place`, next to a victim file with mode 0644.
    private func host(_ place: (_ node: String, _ victim: String) throws -> Void) throws -> (HostPaths, String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("node-ownership-\(UUID())").path
        try FileManager.default.createDirectory(atPath: root + "/dev/vfio", withIntermediateDirectories: true)
        let victim = root + "/victim"
        #expect(FileManager.default.createFile(atPath: victim, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644]))
        try place(root + "/dev/vfio/7", victim)
        return (HostPaths(root: HostRoot("/", dev: root), state: root + "/run/vfioadm", config: root + "/etc/vfioadm"), victim)
    }

    private func expectRefused(_ paths: HostPaths, victim: String) throws {
        var journal = Journal(group: group, pid: 1, members: [])
        #expect {
            _ = try NodeOwnership(paths: paths).apply(owner, group: group, members: [], journal: &journal)
        } throws: { error in
            (error as? ClaimError)?.code == "node-not-device"
        }
        #expect(journal.nodes.isEmpty)
        var info = stat()
        #expect(lstat(victim, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o644 && info.st_uid == getuid())
    }

    @Test func aSymbolicLinkInPlaceOfTheGroupNodeIsNotFollowed() throws {
        let (paths, victim) = try host { node, victim in
            try FileManager.default.createSymbolicLink(atPath: node, withDestinationPath: victim)
        }
        try expectRefused(paths, victim: victim)
    }

    @Test func aRegularFileInPlaceOfTheGroupNodeIsRefused() throws {
        let (paths, _) = try host { node, _ in
            #expect(FileManager.default.createFile(atPath: node, contents: nil, attributes: [.posixPermissions: 0o644]))
        }
        try expectRefused(paths, victim: node(paths))
    }

    @Test func restoringARecordedLinkIsRefusedAndAGoneNodeIsSkipped() throws {
        let (paths, victim) = try host { node, victim in
            try FileManager.default.createSymbolicLink(atPath: node, withDestinationPath: victim)
        }
        let record = Journal.Node(path: node(paths), uid: 0, gid: 0, mode: 0o666)
        #expect(throws: ClaimError.self) { try NodeOwnership(paths: paths).restore([record]) }
        var info = stat()
        #expect(lstat(victim, &info) == 0 && info.st_mode & 0o7777 == 0o644)
        let gone = Journal.Node(path: paths.root.cdev("vfio0"), uid: 0, gid: 0, mode: 0o600)
        try NodeOwnership(paths: paths).restore([gone])
    }

    private func node(_ paths: HostPaths) -> String { paths.root.groupNode(group) }
}
