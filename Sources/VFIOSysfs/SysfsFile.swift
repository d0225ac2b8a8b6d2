#if canImport(Glibc)
import Glibc
#endif
import CVFIO

/// Raw reads of sysfs files, links and directories with plain syscalls into
/// stack buffers: no Foundation and no heap buffer on this path, which runs
/// thousands of times per `list`. Failures are the errno; callers that keep a
/// failure turn it into an `AttributeProblem` naming the path.
enum SysfsFile {
    /// A sysfs attribute holds at most one page.
    static let pageSize = 4096

    /// Calls `body` with the bytes of a small attribute file, trailing newlines
    /// stripped. One `read` of a page: sysfs hands over a whole attribute (at
    /// most a page) at once, so a short read is the end and no second call is
    /// needed to see it (a captured tree's regular files read the same way).
    static func withContents<R>(_ path: String, at directory: Int32 = AT_FDCWD,
                                _ body: (UnsafeBufferPointer<UInt8>) -> R) -> Result<R, SyscallFailure>
    {
        if directory == AT_FDCWD { ReadRecorder.note(path, .contents) }
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(SyscallFailure()) }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: pageSize) { buffer in
            var length = 0
            while length < buffer.count {
                let wanted = buffer.count - length
                let count = Glibc.read(fd, buffer.baseAddress! + length, wanted)
                if count < 0 {
                    if errno == EINTR { continue }
                    return .failure(SyscallFailure())
                }
                length += count
                if count < wanted { break }
            }
            while length > 0, buffer[length - 1] == 0x0A { length -= 1 }
            return .success(body(UnsafeBufferPointer(rebasing: buffer[0..<length])))
        }
    }

    /// Reads a small attribute file and strips the trailing newline.
    static func read(_ path: String, at directory: Int32 = AT_FDCWD) -> Result<String, SyscallFailure> {
        withContents(path, at: directory) { String(decoding: $0, as: UTF8.self) }
    }

    /// The byte at `offset` of a binary attribute such as `config`; nil when the file is shorter.
    static func readByte(_ path: String, offset: Int, at directory: Int32 = AT_FDCWD)
        -> Result<UInt8?, SyscallFailure>
    {
        if directory == AT_FDCWD { ReadRecorder.note(path, .contents) }
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(SyscallFailure()) }
        defer { close(fd) }
        var byte: UInt8 = 0
        var got = 0
        repeat {
            got = pread(fd, &byte, 1, off_t(offset))
        } while got < 0 && errno == EINTR
        guard got >= 0 else { return .failure(SyscallFailure()) }
        return .success(got == 1 ? byte : nil)
    }

    /// The whole target of a symbolic link, as stored (ENOENT when there is no link).
    static func readLink(_ path: String, at directory: Int32 = AT_FDCWD) -> Result<String, SyscallFailure> {
        if directory == AT_FDCWD { ReadRecorder.note(path, .link) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: pageSize) { buffer in
            let count = readlinkat(directory, path, buffer.baseAddress!, buffer.count)
            guard count >= 0 else { return .failure(SyscallFailure()) }
            return .success(String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: count),
                                   as: UTF8.self))
        }
    }

    /// The last path component of a link's target, e.g. `nvme` for `driver`
    /// (ENOENT when there is no link).
    static func linkName(_ path: String, at directory: Int32 = AT_FDCWD) -> Result<String, SyscallFailure> {
        if directory == AT_FDCWD { ReadRecorder.note(path, .link) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: pageSize) { buffer in
            let count = readlinkat(directory, path, buffer.baseAddress!, buffer.count)
            guard count >= 0 else { return .failure(SyscallFailure()) }
            return UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[0..<count])
                .withMemoryRebound(to: UInt8.self) { target in
                    var end = target.count
                    while end > 0, target[end - 1] == 0x2F { end -= 1 }
                    guard end > 0 else { return .success(String(decoding: target, as: UTF8.self)) }
                    let start = target[0..<end].lastIndex(of: 0x2F).map { $0 + 1 } ?? 0
                    return .success(String(decoding: UnsafeBufferPointer(rebasing: target[start..<end]), as: UTF8.self))
                }
        }
    }

    /// The names in a directory, without `.` and `..`, unsorted.
    static func list(_ path: String) -> Result<[String], SyscallFailure> {
        list(path, at: AT_FDCWD)
    }

    /// The names in a directory (relative to an open one), without `.` and
    /// `..`, unsorted: `getdents64` on the directory's own descriptor.
    static func list(_ name: String, at directory: Int32) -> Result<[String], SyscallFailure> {
        if directory == AT_FDCWD { ReadRecorder.note(name, .listing) }
        let fd = openat(directory, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(SyscallFailure()) }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(byteCount: 16384, alignment: 8) { buffer in
            var names: [String] = []
            while true {
                let filled = cvfio_getdents64(fd, buffer.baseAddress!, buffer.count)
                if filled == -Int(EINTR) { continue }
                guard filled >= 0 else { return .failure(SyscallFailure(errno: Int32(-filled))) }
                guard filled > 0 else { return .success(names) }
                var offset = 0
                while offset < filled {
                    let record = buffer.baseAddress! + offset
                    let name = String(cString: (record + cvfio_dirent64_name_offset).assumingMemoryBound(to: CChar.self))
                    if name != ".", name != ".." { names.append(name) }
                    offset += Int(record.assumingMemoryBound(to: cvfio_dirent64.self).pointee.reclen)
                }
            }
        }
    }

    static func exists(_ path: String) -> Bool {
        ReadRecorder.note(path, .presence)
        return access(path, F_OK) == 0
    }
}

/// The errno of a failed call, read right after it.
struct SyscallFailure: Error {
    let errno: Int32

    init() { errno = Glibc.errno }

    /// A failure the raw call returned as its negated result.
    init(errno: Int32) { self.errno = errno }

    /// The problem to report, naming the file.
    func problem(_ path: String) -> AttributeProblem {
        AttributeProblem(path: path, errno: errno)
    }
}

extension Result where Failure == SyscallFailure {
    /// The failure as a problem naming `path`.
    func problem(_ path: @autoclosure () -> String) -> Result<Success, AttributeProblem> {
        mapError { $0.problem(path()) }
    }

    /// Nil for ENOENT (an attribute the kernel leaves out), else as `problem(_:)`.
    func optional(_ path: @autoclosure () -> String) -> Result<Success?, AttributeProblem> {
        switch self {
        case .success(let value): .success(value)
        case .failure(let failure) where failure.errno == ENOENT: .success(nil)
        case .failure(let failure): .failure(failure.problem(path()))
        }
    }
}

/// An open sysfs directory whose attributes are read with `*at` calls, so the
/// path through `/sys/bus/pci/devices/X` is resolved once per device.
/// Problems name the full path.
final class SysfsDirectory: Sendable {
    let path: String
    private let fd: Int32

    init(_ path: String) throws(AttributeProblem) {
        ReadRecorder.note(path, .presence)
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw AttributeProblem(path: path, errno: errno) }
        self.path = path
        self.fd = fd
    }

    /// The subdirectory `name` of `parent`, resolved from the parent's open
    /// descriptor: the kernel walks one component, not the whole path.
    init(_ name: String, in parent: SysfsDirectory) throws(AttributeProblem) {
        ReadRecorder.note(parent.path(of: name), .presence)
        let fd = openat(parent.fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw AttributeProblem(path: parent.path(of: name), errno: errno) }
        path = parent.path(of: name)
        self.fd = fd
    }

    deinit { close(fd) }

    func path(of name: String) -> String { path + "/" + name }

    func read(_ name: String) -> Result<String, AttributeProblem> {
        ReadRecorder.note(path(of: name), .contents)
        return SysfsFile.read(name, at: fd).problem(path(of: name))
    }

    /// The attribute's bytes, newline stripped, handed to `body`; nil when the file does not exist.
    func withOptionalContents<R>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> R)
        -> Result<R?, AttributeProblem>
    {
        ReadRecorder.note(path(of: name), .contents)
        return SysfsFile.withContents(name, at: fd, body).optional(path(of: name))
    }

    /// The attribute's bytes, newline stripped, handed to `body`.
    func withContents<R>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> Result<R, AttributeProblem> {
        ReadRecorder.note(path(of: name), .contents)
        return SysfsFile.withContents(name, at: fd, body).problem(path(of: name))
    }

    func readByte(_ name: String, offset: Int) -> Result<UInt8?, AttributeProblem> {
        ReadRecorder.note(path(of: name), .contents)
        return SysfsFile.readByte(name, offset: offset, at: fd).problem(path(of: name))
    }

    func linkName(_ name: String) -> Result<String, AttributeProblem> {
        ReadRecorder.note(path(of: name), .link)
        return SysfsFile.linkName(name, at: fd).problem(path(of: name))
    }

    /// A link that may legitimately be absent: nil for ENOENT.
    func optionalLinkName(_ name: String) -> Result<String?, AttributeProblem> {
        ReadRecorder.note(path(of: name), .link)
        return SysfsFile.linkName(name, at: fd).optional(path(of: name))
    }

    func list(_ name: String) -> Result<[String], AttributeProblem> {
        ReadRecorder.note(path(of: name), .listing)
        return SysfsFile.list(name, at: fd).problem(path(of: name))
    }
}
