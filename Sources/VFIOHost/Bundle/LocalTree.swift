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
        FileStatus.of(path, followingLinks: false).map { status in
            switch status.kind {
            case .directory: .directory
            case .regular: .file
            case .symbolicLink: .link
            default: .other
            }
        }
    }

    /// A new folder only this user can enter, under `base`, else `$TMPDIR` (default `/tmp`).
    ///
    /// The corresponding call is `mkdtemp(3)`.
    public static func makeTemporaryDirectory(prefix: String, in base: String? = nil) -> Result<String, Errno> {
        let base = base ?? getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
        return FileSystem.makeTemporaryDirectory(base + "/" + prefix + ".XXXXXX")
    }

    /// Creates a folder (mode 0755); one already there is fine.
    public static func makeDirectory(_ path: String) -> Result<Void, Errno> {
        FileSystem.makeDirectory(path, mode: 0o755).flatMapError { $0.rawValue == EEXIST ? .success(()) : .failure($0) }
    }

    /// Writes `bytes` to a new or emptied plain file (mode 0644), refusing to write through a link.
    public static func writeFile(_ path: String, _ bytes: [UInt8]) -> Result<Void, Errno> {
        FileSystem.writeFile(path, bytes, mode: 0o644)
    }

    /// The bytes of a file, at most `limit`.
    public static func readFile(_ path: String, limit: Int) -> Result<[UInt8], Errno> {
        FileSystem.readBytes(path, limit: limit)
    }

    /// Creates a symbolic link; one already there with any target is left as it is.
    public static func makeLink(_ path: String, target: String) -> Result<Void, Errno> {
        FileSystem.makeLink(path, target: target).flatMapError { $0.rawValue == EEXIST ? .success(()) : .failure($0) }
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
        FileStatus.of(path).map(\.size)
    }

    /// Removes `path` and, for a folder, everything in it; links are removed,
    /// never followed. Folders are made enterable first (a bundle may carry
    /// mode 000 ones). The first failure is returned after trying the rest.
    @discardableResult
    public static func remove(_ path: String) -> Result<Void, Errno> {
        guard case .success(let kind) = self.kind(path) else { return .success(()) }
        var failure: Errno?
        if kind == .directory {
            _ = FileSystem.changeMode(path, 0o700)
            if case .success(let names) = FileSystem.list(path) {
                for name in names {
                    if case .failure(let error) = remove(path + "/" + name), failure == nil { failure = error }
                }
            }
            if case .failure(let error) = FileSystem.removeDirectory(path), failure == nil { failure = error }
        } else if case .failure(let error) = FileSystem.unlink(path), failure == nil {
            failure = error
        }
        return failure.map { .failure($0) } ?? .success(())
    }
}
