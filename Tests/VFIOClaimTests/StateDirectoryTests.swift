import Foundation
import Testing
@testable import VFIOClaim
import VFIOCore
import VFIOSysfs

/// A state directory another user could steer is refused, and a journal
/// edited to point vfioadm elsewhere is followed nowhere.
@Suite struct StateDirectoryTests {
    private func refusal(_ host: ClaimHost, _ fragment: String) {
        for attempt in ["claim", "status"] {
            #expect {
                if attempt == "claim" {
                    _ = try host.claimer().run(.init(groups: [ClaimHost.group(1)]))
                } else {
                    _ = try ClaimStatus(paths: host.paths).held()
                }
            } throws: { error in
                guard let error = error as? ClaimError else { return false }
                return error.kind == .permission && error.code == "state-directory-unsafe" && error.message.contains(fragment)
            }
        }
        #expect(host.kernel.log.isEmpty, "nothing written")
    }

    @Test func aSymbolicLinkIsRefused() throws {
        let host = try ClaimHost()
        try FileManager.default.createDirectory(atPath: host.tree.root.path + "/elsewhere", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: host.tree.root.path + "/run", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: host.paths.state, withDestinationPath: host.tree.root.path + "/elsewhere")
        refusal(host, "is a symbolic link")
    }

    @Test func aDirectoryOthersCanWriteIsRefused() throws {
        let host = try ClaimHost()
        try FileManager.default.createDirectory(atPath: host.paths.state, withIntermediateDirectories: true)
        #expect(chmod(host.paths.state, 0o777) == 0)
        refusal(host, "is writable by its group or by others (mode 0777)")
    }

    @Test(.enabled(if: geteuid() == 0, "changing a directory's owner needs root"))
    func aDirectoryOwnedBySomeoneElseIsRefused() throws {
        let host = try ClaimHost()
        try FileManager.default.createDirectory(atPath: host.paths.state, withIntermediateDirectories: true)
        #expect(chmod(host.paths.state, 0o700) == 0)
        #expect(chown(host.paths.state, 65534, 65534) == 0)
        refusal(host, "is owned by uid 65534, not by root")
    }

    @Test func aFreshDirectoryIsMadeOnlyForItsOwner() throws {
        let host = try ClaimHost()
        _ = try host.claimer().run(.init(groups: [ClaimHost.group(1)]))
        var info = stat()
        #expect(lstat(host.paths.state, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
    }

    @Test(arguments: [
        ("\"address\":\"0000:03:01.0\"", "\"address\":\"0000:04:00.0\"", "names 0000:04:00.0, which is in group 4"),
        ("\"address\":\"0000:03:01.0\",", "\"address\":\"0000:03:01.0\",\"originalOverride\":\"..\\/..\\/x\",",
         "which is not a driver name"),
        ("\"nodes\":[]", "\"nodes\":[{\"path\":\"\\/etc\\/shadow\",\"uid\":0,\"gid\":0,\"mode\":384}]",
         "records the node /etc/shadow"),
    ])
    func anEditedJournalIsFollowedNowhere(_ original: String, _ edited: String, _ reason: String) throws {
        let host = try ClaimHost()
        _ = try host.claimer().run(.init(groups: [ClaimHost.group(2)]))
        let path = host.paths.journal(ClaimHost.group(2))
        let compact = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "")
        let changed = compact.replacingOccurrences(of: original, with: edited)
        #expect(changed != compact, "the fixture has \(original)")
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        let writes = host.kernel.log.count
        #expect {
            _ = try host.releaser().run(groups: [ClaimHost.group(2)], force: false)
        } throws: { error in
            (error as? ClaimError).map { $0.code == "journal-invalid" && $0.message.contains(reason) } ?? false
        }
        #expect(host.kernel.log.count == writes, "nothing written")
    }
}
