import Glibc
import LinuxSystem

/// The file operations a support bundle is written and read with: a private
/// temporary folder, plain files, folders and links created without following
/// any existing link, and removal of a whole tree without following links.
public enum LocalTree {
    /// What `lstat` says a path is.
    public enum Kind: Sendable { case directory, file, link, other }

    /// The type of the path itself (links not followed).
    public static func kind(_ path: String) -> Result<Kind, Errno> {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .failure(Errno(rawValue: errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .success(.directory)
        case S_IFREG: return .success(.file)
        case S_IFLNK: return .success(.link)
        default: return .success(.other)
        }
    }

    /// A new folder only this user can enter, under `base`, else `$TMPDIR` (default `/tmp`).
    ///
    /// The corresponding call is `mkdtemp(3)`.
    public static func makeTemporaryDirectory(prefix: String, in base: String? = nil) -> Result<String, Errno> {
        let base = base ?? getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
        var template = Array((base + "/" + prefix + ".XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { return .failure(Errno(rawValue: errno)) }
        return .success(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// Creates a folder (mode 0755); one already there is fine.
    public static func makeDirectory(_ path: String) -> Result<Void, Errno> {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { return .failure(Errno(rawValue: errno)) }
        return .success(())
    }

    /// Writes `bytes` to a new or emptied plain file (mode 0644), refusing to write through a link.
    public static func writeFile(_ path: String, _ bytes: [UInt8]) -> Result<Void, Errno> {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(Errno(rawValue: errno)) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Errno(rawValue: errno))
            }
            written += count
        }
        return .success(())
    }

    /// The bytes of a file, at most `limit`.
    public static func readFile(_ path: String, limit: Int) -> Result<[UInt8], Errno> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Errno(rawValue: errno)) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, min($0.count, limit - bytes.count)) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Errno(rawValue: errno))
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return .success(bytes)
    }

    /// Creates a symbolic link; one already there with any target is left as it is.
    public static func makeLink(_ path: String, target: String) -> Result<Void, Errno> {
        guard symlink(target, path) == 0 || errno == EEXIST else { return .failure(Errno(rawValue: errno)) }
        return .success(())
    }

    /// How many folders (the top not included), files and links lie under `path`.
    public static func count(_ path: String) -> (directories: Int, files: Int, links: Int) {
        var total = (directories: 0, files: 0, links: 0)
        guard case .success(let names) = FileSystem.list(path) else { return total }
        for name in names {
            switch kind(path + "/" + name) {
            case .success(.directory):
                let inner = count(path + "/" + name)
                total = (total.directories + 1 + inner.directories, total.files + inner.files, total.links + inner.links)
            case .success(.file): total.files += 1
            case .success(.link): total.links += 1
            default: continue
            }
        }
        return total
    }

    /// The size of a file in bytes.
    public static func size(_ path: String) -> Result<Int, Errno> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(Errno(rawValue: errno)) }
        return .success(Int(info.st_size))
    }

    /// Removes `path` and, for a folder, everything in it; links are removed,
    /// never followed. Folders are made enterable first (a bundle may carry
    /// mode 000 ones). The first failure is returned after trying the rest.
    @discardableResult
    public static func remove(_ path: String) -> Result<Void, Errno> {
        guard case .success(let kind) = self.kind(path) else { return .success(()) }
        var failure: Errno?
        if kind == .directory {
            _ = chmod(path, 0o700)
            if case .success(let names) = FileSystem.list(path) {
                for name in names {
                    if case .failure(let error) = remove(path + "/" + name), failure == nil { failure = error }
                }
            }
            if rmdir(path) != 0, failure == nil { failure = Errno(rawValue: errno) }
        } else if unlink(path) != 0, failure == nil {
            failure = Errno(rawValue: errno)
        }
        return failure.map { .failure($0) } ?? .success(())
    }
}
