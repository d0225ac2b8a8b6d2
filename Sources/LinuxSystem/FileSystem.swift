import Glibc

/// Small reads of sysfs, procfs and /dev with plain system calls, for probing
/// and for explaining errors. Every call takes a full path built from an
/// injected root.
public enum FileSystem {
    /// A small text file, trailing newlines removed. With `followingLinks`
    /// false a symbolic link is refused (ELOOP), for files vfioadm trusts.
    public static func readText(_ path: String, limit: Int = 65536, followingLinks: Bool = true) -> Result<String, Errno> {
        ReadRecorder.note(path, .contents)
        let descriptor: Int32
        switch openReadOnly(path, followingLinks: followingLinks) {
        case .success(let fd): descriptor = fd
        case .failure(let error): return .failure(error)
        }
        defer { _ = Glibc.close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = Syscall.retryingEINTR { () -> Int in
                let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                return count < 0 ? -Int(errno) : count
            }
            switch count {
            case .failure(let error): return .failure(error)
            case .success(0): return .success(trimmed(bytes))
            case .success(let n): bytes.append(contentsOf: chunk[0..<n])
            }
        }
        return .success(trimmed(bytes))
    }

    /// `open(path, O_RDONLY | O_CLOEXEC)` (with `O_NOFOLLOW` unless following links), retried on EINTR;
    /// the caller closes the fd.
    public static func openReadOnly(_ path: String, followingLinks: Bool = true) -> Result<Int32, Errno> {
        Syscall.retryingEINTR { () -> Int32 in
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
            return fd < 0 ? -errno : fd
        }
    }

    private static func trimmed(_ bytes: [UInt8]) -> String {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        return String(decoding: bytes[0..<end], as: UTF8.self)
    }

    /// The target of a symbolic link, as stored.
    public static func readLink(_ path: String) -> Result<String, Errno> { AttributeFile.readLink(path) }

    /// The last component of a link's target: `nvme` for a `driver` link.
    public static func linkName(_ path: String) -> Result<String, Errno> { AttributeFile.linkName(path) }

    /// The names in a directory, without `.` and `..`, sorted.
    public static func list(_ path: String) -> Result<[String], Errno> { AttributeFile.list(path).map { $0.sorted() } }

    public static func exists(_ path: String) -> Bool { AttributeFile.exists(path) }

    /// The node's type and device number, following symbolic links.
    public static func characterDevice(_ path: String) -> Result<(isCharacterDevice: Bool, rdev: UInt64), Errno> {
        ReadRecorder.note(path, .presence)
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(Errno(rawValue: errno)) }
        return .success(((info.st_mode & S_IFMT) == S_IFCHR, UInt64(info.st_rdev)))
    }
}
