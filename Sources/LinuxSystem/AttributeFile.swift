import Glibc
import CLinuxSystem

/// Raw reads of kernel attribute files (sysfs, procfs), links and directories
/// with plain syscalls into stack buffers: no Foundation and no heap buffer on
/// this path, which runs thousands of times per `list`. Failures are the errno;
/// callers that keep a failure turn it into a problem naming the path.
public enum AttributeFile {
    /// A sysfs attribute holds at most one page.
    public static let pageSize = 4096

    /// Calls `body` with the bytes of a small attribute file, trailing newlines
    /// stripped. One `read` of a page: sysfs hands over a whole attribute (at
    /// most a page) at once, so a short read is the end and no second call is
    /// needed to see it (a captured tree's regular files read the same way).
    @inlinable
    public static func withContents<R>(_ path: String, at directory: Int32 = AT_FDCWD,
                                _ body: (UnsafeBufferPointer<UInt8>) -> R) -> Result<R, Errno>
    {
        if directory == AT_FDCWD { ReadRecorder.note(path, .contents) }
        do {
            let file = try FileDescriptor.open(path, flags: O_RDONLY, at: directory)
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: pageSize) { buffer in
                switch file.read(filling: UnsafeMutableRawBufferPointer(buffer), shortReadEnds: true) {
                case .failure(let errno): return .failure(errno)
                case .success(var length):
                    while length > 0, buffer[length - 1] == 0x0A { length -= 1 }
                    return .success(body(UnsafeBufferPointer(rebasing: buffer[0..<length])))
                }
            }
        } catch {
            return .failure(error)
        }
    }

    /// Reads a small attribute file and strips the trailing newline.
    public static func read(_ path: String, at directory: Int32 = AT_FDCWD) -> Result<String, Errno> {
        withContents(path, at: directory) { String(decoding: $0, as: UTF8.self) }
    }

    /// The byte at `offset` of a binary attribute such as `config`; nil when the file is shorter.
    public static func readByte(_ path: String, offset: Int, at directory: Int32 = AT_FDCWD)
        -> Result<UInt8?, Errno>
    {
        if directory == AT_FDCWD { ReadRecorder.note(path, .contents) }
        do {
            let file = try FileDescriptor.open(path, flags: O_RDONLY, at: directory)
            var byte: UInt8 = 0
            return withUnsafeMutableBytes(of: &byte) { file.pread(filling: $0, offset: UInt64(offset)) }
                .map { $0 == 1 ? byte : nil }
        } catch {
            return .failure(error)
        }
    }

    /// The whole target of a symbolic link, as stored (ENOENT when there is no link).
    public static func readLink(_ path: String, at directory: Int32 = AT_FDCWD) -> Result<String, Errno> {
        if directory == AT_FDCWD { ReadRecorder.note(path, .link) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: pageSize) { buffer in
            let count = readlinkat(directory, path, buffer.baseAddress!, buffer.count)
            guard count >= 0 else { return .failure(Errno.current) }
            return .success(String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: count),
                                   as: UTF8.self))
        }
    }

    /// The last path component of a link's target, e.g. `nvme` for `driver`
    /// (ENOENT when there is no link).
    public static func linkName(_ path: String, at directory: Int32 = AT_FDCWD) -> Result<String, Errno> {
        if directory == AT_FDCWD { ReadRecorder.note(path, .link) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: pageSize) { buffer in
            let count = readlinkat(directory, path, buffer.baseAddress!, buffer.count)
            guard count >= 0 else { return .failure(Errno.current) }
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
    public static func list(_ path: String) -> Result<[String], Errno> {
        list(path, at: AT_FDCWD)
    }

    /// The names in a directory (relative to an open one), without `.` and
    /// `..`, unsorted: `getdents64` on the directory's own descriptor.
    public static func list(_ name: String, at parent: Int32) -> Result<[String], Errno> {
        if parent == AT_FDCWD { ReadRecorder.note(name, .listing) }
        do {
            let directory = try FileDescriptor.open(name, flags: O_RDONLY | O_DIRECTORY, at: parent)
            return withUnsafeTemporaryAllocation(byteCount: 16384, alignment: 8) { buffer in
                var names: [String] = []
                while true {
                    let filled: Int
                    switch Syscall.getdents64(directory.rawValue, buffer) {
                    case .success(let count): filled = count
                    case .failure(let errno): return .failure(errno)
                    }
                    guard filled > 0 else { return .success(names) }
                    var offset = 0
                    while offset < filled {
                        let record = buffer.baseAddress! + offset
                        let name = String(cString: (record + clinux_dirent64_name_offset).assumingMemoryBound(to: CChar.self))
                        if name != ".", name != ".." { names.append(name) }
                        offset += Int(record.assumingMemoryBound(to: clinux_dirent64.self).pointee.reclen)
                    }
                }
            }
        } catch {
            return .failure(error)
        }
    }

    public static func exists(_ path: String) -> Bool {
        ReadRecorder.note(path, .presence)
        return access(path, F_OK) == 0
    }
}
