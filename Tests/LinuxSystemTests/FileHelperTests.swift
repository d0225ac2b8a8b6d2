import Foundation
import Testing
@testable import LinuxSystem

@Suite struct FileHelperTests {
    /// A folder of its own under the temporary directory, removed at the end.
    final class Folder {
        let path: String

        init() throws {
            path = try FileSystem.makeTemporaryDirectory(NSTemporaryDirectory() + "filehelper.XXXXXX").get()
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func names() throws -> [String] { try FileSystem.list(path).get() }
    }

    @Test func writeAllContinuesAfterShortWrites() {
        let bytes = Array(UInt8(0)..<100)
        var taken: [UInt8] = []
        var calls = 0
        let result = bytes.withUnsafeBytes { buffer in
            Syscall.writeAll(buffer) { rest in
                calls += 1
                let count = min(rest.count, 7)
                taken += rest.prefix(count)
                return .success(count)
            }
        }
        #expect(throws: Never.self) { try result.get() }
        #expect(taken == bytes)
        #expect(calls == 15)
    }

    @Test func writeAllFailsWithTheErrnoOfTheWriteThatFailed() {
        var calls = 0
        let result = [UInt8](repeating: 1, count: 10).withUnsafeBytes { buffer in
            Syscall.writeAll(buffer) { rest in
                calls += 1
                return calls == 1 ? .success(4) : .failure(Errno(rawValue: ENOSPC))
            }
        }
        #expect(throws: Errno(rawValue: ENOSPC)) { try result.get() }
    }

    /// A non-blocking pipe takes what fits (a short write), then refuses with
    /// EAGAIN: the loop went on after the short write and reports the errno, not EIO.
    @Test func aShortWriteToAFullPipeIsFollowedByTheNextWrite() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let writeEnd = FileDescriptor(adopting: ends[1], path: "pipe")
        #expect(fcntl(writeEnd.rawValue, F_SETFL, O_NONBLOCK) == 0)
        let bytes = [UInt8](repeating: 0x5A, count: 1 << 20)
        let result = bytes.withUnsafeBytes { writeEnd.writeAll($0) }
        #expect(throws: Errno(rawValue: EAGAIN)) { try result.get() }
        var drained = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        #expect(fcntl(ends[0], F_SETFL, O_NONBLOCK) == 0)
        while case let count = read(ends[0], &chunk, chunk.count), count > 0 { drained += count }
        #expect(drained > 0 && drained < bytes.count)
    }

    @Test func replaceWritesTheWholeFileAndLeavesNoTemporary() throws {
        let folder = try Folder()
        let path = folder.path + "/journal"
        try FileSystem.replace(path, with: Array("old".utf8), mode: 0o600).get()
        try FileSystem.replace(path, with: Array("new content".utf8), mode: 0o640).get()
        #expect(try FileSystem.readText(path).get() == "new content")
        #expect(try FileStatus.of(path).get().mode == 0o640)
        #expect(try folder.names() == ["journal"])
    }

    /// rename(2) of a file over a non-empty folder fails: the step names the
    /// path, the temporary is gone, and the folder is as it was.
    @Test func aFailedRenameRemovesTheTemporary() throws {
        let folder = try Folder()
        let path = folder.path + "/state"
        try FileSystem.makeDirectory(path, mode: 0o755).get()
        try FileSystem.writeFile(path + "/inside", [1], mode: 0o644).get()
        let result = FileSystem.replace(path, with: Array("x".utf8), mode: 0o600)
        guard case .failure(let failure) = result else { Issue.record("replaced a folder"); return }
        #expect(failure.path == path)
        #expect([EISDIR, ENOTEMPTY, EEXIST].contains(failure.errno.rawValue))
        #expect(try folder.names() == ["state"])
        #expect(try FileSystem.list(path).get() == ["inside"])
    }

    /// A link planted at the temporary name is refused (never followed), its
    /// target untouched, and the old file keeps its content.
    @Test func aLinkAtTheTemporaryNameIsRefused() throws {
        let folder = try Folder()
        let path = folder.path + "/claim"
        try FileSystem.replace(path, with: Array("old".utf8), mode: 0o600).get()
        try FileSystem.writeFile(folder.path + "/victim", Array("victim".utf8), mode: 0o644).get()
        try FileSystem.makeLink(path + ".tmp", target: folder.path + "/victim").get()
        let result = FileSystem.replace(path, with: Array("new".utf8), mode: 0o600)
        #expect(throws: FileSystem.Failure(path: path + ".tmp", errno: Errno(rawValue: ELOOP))) { try result.get() }
        #expect(try FileSystem.readText(path).get() == "old")
        #expect(try FileSystem.readText(folder.path + "/victim").get() == "victim")
    }

    @Test func removeDurablyAcceptsAMissingFile() throws {
        let folder = try Folder()
        try FileSystem.writeFile(folder.path + "/entry", [1], mode: 0o644).get()
        try FileSystem.removeDurably(folder.path + "/entry").get()
        try FileSystem.removeDurably(folder.path + "/entry").get()
        #expect(try folder.names() == [])
    }

    @Test func makeDirectoriesCreatesTheMissingParents() throws {
        let folder = try Folder()
        try FileSystem.makeDirectories(folder.path + "/a/b/c", mode: 0o700).get()
        try FileSystem.makeDirectories(folder.path + "/a/b/c", mode: 0o700).get()
        let status = try FileStatus.of(folder.path + "/a/b/c").get()
        #expect(status.kind == .directory && status.mode == 0o700)
        try FileSystem.writeFile(folder.path + "/file", [], mode: 0o644).get()
        #expect(throws: FileSystem.Failure(path: folder.path + "/file/sub", errno: Errno(rawValue: ENOTDIR))) {
            try FileSystem.makeDirectories(folder.path + "/file/sub", mode: 0o700).get()
        }
    }

    /// flock locks belong to the open file: a second open of the same file,
    /// even in this process, cannot take the lock until the holder ends.
    @Test func aLockExcludesASecondOpenUntilItEnds() throws {
        let folder = try Folder()
        let path = folder.path + "/lock"
        let second = try FileDescriptor.open(path, flags: O_RDWR | O_CREAT, mode: 0o600)
        do {
            let lock = try FileLock(exclusive: FileDescriptor.open(path, flags: O_RDWR))
            #expect(throws: Errno(rawValue: EWOULDBLOCK)) { try Syscall.flock(second.rawValue, LOCK_EX | LOCK_NB).get() }
            _ = consume lock
        }
        #expect(throws: Never.self) { try Syscall.flock(second.rawValue, LOCK_EX | LOCK_NB).get() }
    }

    @Test func statusTellsEachKind() throws {
        let folder = try Folder()
        try FileSystem.writeFile(folder.path + "/file", Array("12345".utf8), mode: 0o640).get()
        try FileSystem.makeLink(folder.path + "/link", target: "file").get()
        try #require(mkfifo(folder.path + "/fifo", 0o600) == 0)

        let file = try FileStatus.of(folder.path + "/file").get()
        #expect(file.kind == .regular && file.size == 5 && file.mode == 0o640 && file.uid == geteuid())
        #expect(try FileStatus.of(folder.path).get().kind == .directory)
        #expect(try FileStatus.of(folder.path + "/fifo").get().kind == .fifo)
        #expect(try FileStatus.of(folder.path + "/link", followingLinks: false).get().kind == .symbolicLink)
        #expect(try FileStatus.of(folder.path + "/link").get() == file)
        let null = try FileStatus.of("/dev/null").get()
        #expect(null.kind == .characterDevice && null.rdev == DeviceNumber(major: 1, minor: 3))
        #expect(throws: Errno(rawValue: ENOENT)) { try FileStatus.of(folder.path + "/missing").get() }
        #expect(try FileDescriptor.open(folder.path + "/file", flags: O_RDONLY).status().get() == file)
    }

    /// More than one 64 KiB chunk comes back whole; a limit cuts the file short.
    @Test func readBytesReadsToTheEndOrTheLimit() throws {
        let folder = try Folder()
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try FileSystem.writeFile(folder.path + "/big", bytes, mode: 0o644).get()
        #expect(try FileSystem.readBytes(folder.path + "/big", limit: 1 << 20).get() == bytes)
        #expect(try FileSystem.readBytes(folder.path + "/big", limit: 70_000).get() == Array(bytes.prefix(70_000)))
        #expect(try FileSystem.readBytes(folder.path + "/big", limit: 0).get() == [])
        try FileSystem.makeLink(folder.path + "/link", target: "big").get()
        #expect(throws: Errno(rawValue: ELOOP)) {
            try FileSystem.readBytes(folder.path + "/link", limit: 10, followingLinks: false).get()
        }
    }

    /// A seq_file longer than one 64 KiB read reads short before its end (the
    /// next record does not fit): it is read on to the end, to its last record.
    @Test func readTextReadsAProcfsFileToItsEnd() throws {
        let text = try FileSystem.readText("/proc/self/smaps", limit: 16 << 20).get()
        #expect(text.utf8.count > 65536)
        #expect(text.split(separator: "\n").last?.hasPrefix("VmFlags:") == true)
    }

    @Test func preadStopsAtTheEndOfTheFile() throws {
        let folder = try Folder()
        try FileSystem.writeFile(folder.path + "/data", Array(0..<10), mode: 0o644).get()
        let file = try FileDescriptor.open(folder.path + "/data", flags: O_RDONLY)
        var buffer = [UInt8](repeating: 0xFF, count: 8)
        #expect(try buffer.withUnsafeMutableBytes { file.pread(filling: $0, offset: 6) }.get() == 4)
        #expect(buffer.prefix(4) == [6, 7, 8, 9])
    }
}
