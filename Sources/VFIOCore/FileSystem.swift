#if canImport(Glibc)
import Glibc
#endif
import VFIOSysfs

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
    static func openReadOnly(_ path: String, followingLinks: Bool = true) -> Result<Int32, Errno> {
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
    public static func readLink(_ path: String) -> Result<String, Errno> {
        ReadRecorder.note(path, .link)
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBufferPointer { pointer -> Int in
            guard let base = pointer.baseAddress else { return -Int(EFAULT) }
            let count = readlink(path, base, pointer.count)
            return count < 0 ? -Int(errno) : count
        }
        guard count >= 0 else { return .failure(Errno(rawValue: Int32(-count))) }
        return .success(String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The last component of a link's target: `nvme` for a `driver` link.
    public static func linkName(_ path: String) -> Result<String, Errno> {
        readLink(path).map { target in target.split(separator: "/").last.map(String.init) ?? target }
    }

    /// The names in a directory, without `.` and `..`, sorted.
    public static func list(_ path: String) -> Result<[String], Errno> {
        ReadRecorder.note(path, .listing)
        guard let directory = opendir(path) else { return .failure(Errno(rawValue: errno)) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return .success(names.sorted())
    }

    public static func exists(_ path: String) -> Bool {
        ReadRecorder.note(path, .presence)
        return access(path, F_OK) == 0
    }

    /// The node's type and device number, following symbolic links.
    public static func characterDevice(_ path: String) -> Result<(isCharacterDevice: Bool, rdev: UInt64), Errno> {
        ReadRecorder.note(path, .presence)
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(Errno(rawValue: errno)) }
        return .success(((info.st_mode & S_IFMT) == S_IFCHR, UInt64(info.st_rdev)))
    }
}

/// A Linux device number, `major:minor` as sysfs `dev` attributes print it.
public struct DeviceNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    public let major: UInt32
    public let minor: UInt32

    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    /// Parses `511:3`.
    public init?(_ text: some StringProtocol) {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2,
              fields.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              let major = UInt32(fields[0]), let minor = UInt32(fields[1])
        else { return nil }
        self.init(major: major, minor: minor)
    }

    /// Decodes a `dev_t` as glibc encodes it (`gnu_dev_major` / `gnu_dev_minor`).
    public init(rdev: UInt64) {
        major = UInt32(truncatingIfNeeded: ((rdev & 0x0000_0000_000f_ff00) >> 8) | ((rdev & 0xffff_f000_0000_0000) >> 32))
        minor = UInt32(truncatingIfNeeded: (rdev & 0x0000_0000_0000_00ff) | ((rdev & 0x0000_0fff_fff0_0000) >> 12))
    }

    public var description: String { "\(major):\(minor)" }
}
