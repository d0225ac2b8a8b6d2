import Glibc
import CVFIO
import LinuxSystem
import SysfsTestSupport
import Testing
@testable import VFIOCore

@Suite("Syscalls, errors and ownership")
struct SyscallTests {
    @Test func retriesEINTRUntilSuccess() {
        var calls = 0
        let result = Syscall.retryingEINTR { () -> Int32 in
            calls += 1
            return calls < 4 ? -EINTR : 7
        }
        #expect(result == .success(7))
        #expect(calls == 4)
    }

    @Test func otherErrorsAreNotRetried() {
        var calls = 0
        let result = Syscall.retryingEINTR { () -> Int32 in
            calls += 1
            return calls == 1 ? -EINTR : -EBUSY
        }
        #expect(result == .failure(Errno(rawValue: EBUSY)))
        #expect(calls == 2)
    }

    @Test func worksForByteCounts() {
        var calls = 0
        let result = Syscall.retryingEINTR { () -> Int in
            calls += 1
            return calls == 1 ? -Int(EINTR) : 4096
        }
        #expect(result == .success(4096))
    }

    @Test func errorRendering() {
        let error = VFIOError(.groupSetContainer, path: "/dev/vfio/12", errno: Errno(rawValue: EPERM))
        #expect(error.description == "VFIO_GROUP_SET_CONTAINER on /dev/vfio/12: Operation not permitted (EPERM)")
        let found = VFIOError(.stat, path: "/dev/vfio/devices/vfio0", errno: Errno(rawValue: ENODEV),
                              reason: "node is 1:3, but sysfs says 511:0")
        #expect(found.description == "stat on /dev/vfio/devices/vfio0: node is 1:3, but sysfs says 511:0 (ENODEV)")
    }

    /// The whole chain (open, ioctl shim, errno capture, typed error) against a
    /// node that is not VFIO: /dev/null answers ENOTTY.
    @Test func ioctlOnANonVFIONodeFailsWithTheOperationAndPath() throws {
        let group = try VFIOGroup(path: "/dev/null")
        #expect(throws: VFIOError(.groupGetStatus, path: "/dev/null", errno: Errno(rawValue: ENOTTY))) {
            try group.status()
        }
        let error = try #require(throws: VFIOError.self) { try group.setContainer(descriptor: -1) }
        #expect(error.operation == .groupSetContainer)
        #expect(error.description.hasPrefix("VFIO_GROUP_SET_CONTAINER on /dev/null: "))
    }

    @Test func openFailureNamesThePath() {
        #expect(throws: VFIOError(.open, path: "/nonexistent/vfio/7", errno: Errno(rawValue: ENOENT))) {
            try VFIOGroup(path: "/nonexistent/vfio/7")
        }
    }

    /// The write end of a pipe, owned by a FileDescriptor: once the owner is gone,
    /// the read end sees end-of-file, so it was closed (and only the owner closes it).
    @Test func descriptorClosesWhenItsOwnerEnds() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        do {
            let owner = FileDescriptor(adopting: ends[1], path: "pipe")
            #expect(owner.rawValue == ends[1])
            #expect(fcntl(owner.rawValue, F_GETFD) >= 0)
        }
        var byte: UInt8 = 0
        #expect(read(ends[0], &byte, 1) == 0)
        close(ends[0])
    }

    @Test func classOwnersCloseToo() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        var container: VFIOContainer? = try VFIOContainer(path: "/proc/self/fd/\(ends[1])")
        close(ends[1])  // the container holds its own descriptor for the pipe
        #expect(container?.descriptor ?? -1 >= 0)
        container = nil
        var byte: UInt8 = 0
        #expect(read(ends[0], &byte, 1) == 0)
        close(ends[0])
    }

    @Test func preadAndPwriteLoops() throws {
        let tree = try TempTree()
        try tree.file("data", bytes: Array(0..<64))
        let fd = try FileDescriptor.open(tree.path("data"))
        var buffer = [UInt8](repeating: 0, count: 8)
        let read = buffer.withUnsafeMutableBytes { Syscall.preadAll(fd.rawValue, $0, offset: 16) }
        if case .failure(let errno) = read { Issue.record("pread failed: \(errno)") }
        #expect(buffer == Array(16..<24))
        let past = buffer.withUnsafeMutableBytes { Syscall.preadAll(fd.rawValue, $0, offset: 60) }
        if case .failure(let errno) = past { #expect(errno.rawValue == EIO) } else { Issue.record("read past the end succeeded") }
        let written = [UInt8](repeating: 0xAA, count: 4).withUnsafeBytes { Syscall.pwriteAll(fd.rawValue, $0, offset: 2) }
        if case .failure = written { Issue.record("pwrite failed") }
        let check = buffer.withUnsafeMutableBytes { Syscall.preadAll(fd.rawValue, $0, offset: 0) }
        if case .failure = check { Issue.record("pread failed") }
        #expect(buffer == [0, 1, 0xAA, 0xAA, 0xAA, 0xAA, 6, 7])
    }

    @Test func dmaBufferIsPageAlignedAndWritable() throws {
        let buffer = try DMABuffer(length: 3 * 4096)
        #expect(buffer.address % 4096 == 0)
        #expect(buffer.bytes.count == 3 * 4096)
        buffer.bytes[5000] = 0x5A
        #expect(buffer.bytes[5000] == 0x5A)
        #expect(buffer.bytes[0] == 0)
    }

    @Test func regionMappingAccessesAreCheckedAndSized() throws {
        let pointer = try #require(mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(pointer != MAP_FAILED)
        let mapping = RegionMapping(base: pointer, length: 4096, name: "test BAR0")
        try mapping.write(UInt32(0xdead_beef), at: 8)
        #expect(try mapping.read(UInt32.self, at: 8) == 0xdead_beef)
        #expect(try mapping.read(UInt8.self, at: 8) == 0xef)
        #expect(try mapping.read(UInt16.self, at: 10) == 0xdead)
        try mapping.write(UInt64(0x0102_0304_0506_0708), at: 4088)
        #expect(try mapping.read(UInt64.self, at: 4088) == 0x0102_0304_0506_0708)
        #expect(throws: VFIOError.self) { try mapping.read(UInt32.self, at: 4096) }
        #expect(throws: VFIOError.self) { try mapping.read(UInt32.self, at: 2) }
        #expect(throws: VFIOError.self) { try mapping.write(UInt8(1), at: -1) }
    }
}
