import Glibc

/// Small reads of sysfs, procfs and /dev with plain system calls, for probing
/// and for explaining errors. Every call takes a full path built from an
/// injected root.
public enum FileSystem {
    /// A small text file, trailing newlines removed. With `followingLinks`
    /// false a symbolic link is refused (ELOOP), for files vfioadm trusts.
    public static func readText(_ path: String, limit: Int = 65536, followingLinks: Bool = true) -> Result<String, Errno> {
        ReadRecorder.note(path, .contents)
        return readBytes(path, limit: limit, followingLinks: followingLinks).map { bytes in
            var end = bytes.count
            while end > 0, bytes[end - 1] == 0x0A { end -= 1 }
            return String(decoding: bytes[0..<end], as: UTF8.self)
        }
    }

    /// The bytes of a file from its start, at most `limit`, read until the
    /// file ends (procfs files may read short before their end).
    ///
    /// The corresponding system calls are `open(2)` and `read(2)`.
    public static func readBytes(_ path: String, limit: Int, followingLinks: Bool = true) -> Result<[UInt8], Errno> {
        do {
            let file = try FileDescriptor.open(path, flags: O_RDONLY | (followingLinks ? 0 : O_NOFOLLOW))
            // Through one buffer of at most 64 KiB, so that a large `limit` costs memory only for
            // what is there; whole chunks are copied, never byte by byte (debug builds too).
            var chunk = [UInt8](repeating: 0, count: min(65536, limit))
            var bytes: [UInt8] = []
            while bytes.count < limit {
                let wanted = min(chunk.count, limit - bytes.count)
                let read = chunk.withUnsafeMutableBytes { raw in
                    file.read(filling: UnsafeMutableRawBufferPointer(rebasing: raw[..<wanted]), shortReadEnds: false)
                }
                guard case .success(let count) = read else { return read.map { _ in [] } }
                bytes.append(contentsOf: chunk[..<count])
                if count < wanted { break }
            }
            return .success(bytes)
        } catch {
            return .failure(error)
        }
    }

    /// `open(path, O_RDONLY | O_CLOEXEC)` (with `O_NOFOLLOW` unless following links).
    public static func openReadOnly(_ path: String, followingLinks: Bool = true) throws(Errno) -> FileDescriptor {
        try FileDescriptor.open(path, flags: O_RDONLY | (followingLinks ? 0 : O_NOFOLLOW))
    }

    /// The target of a symbolic link, as stored.
    public static func readLink(_ path: String) -> Result<String, Errno> { AttributeFile.readLink(path) }

    /// The last component of a link's target: `nvme` for a `driver` link.
    public static func linkName(_ path: String) -> Result<String, Errno> { AttributeFile.linkName(path) }

    /// The canonical path with every symbolic link resolved.
    ///
    /// The corresponding call is `realpath(3)`.
    public static func canonicalPath(_ path: String) -> Result<String, Errno> {
        guard let resolved = realpath(path, nil) else { return .failure(Errno.current) }
        defer { free(resolved) }
        return .success(String(cString: resolved))
    }

    /// The names in a directory, without `.` and `..`, sorted.
    public static func list(_ path: String) -> Result<[String], Errno> { AttributeFile.list(path).map { $0.sorted() } }

    public static func exists(_ path: String) -> Bool { AttributeFile.exists(path) }

    /// The node's status following symbolic links, noted as a presence check for `capture`.
    public static func characterDevice(_ path: String) -> Result<(isCharacterDevice: Bool, rdev: DeviceNumber), Errno> {
        ReadRecorder.note(path, .presence)
        return FileStatus.of(path).map { ($0.kind == .characterDevice, $0.rdev) }
    }
}
