import Glibc
import CLinuxSystem

/// Changes to files and folders: created, replaced whole, linked, renamed and
/// removed, each failure the errno (and for a multi-step change, the path of
/// the step that failed).
extension FileSystem {
    /// A failed step of a change: the path it concerned and the errno.
    public struct Failure: Error, Sendable, Equatable {
        public let path: String
        public let errno: Errno

        public init(path: String, errno: Errno) {
            self.path = path
            self.errno = errno
        }
    }

    /// Replaces `path` with `bytes` (mode `mode`) so that a crash or a power
    /// cut leaves the old file or the new one whole: the bytes go to the
    /// sibling `PATH.tmp` (never through a link), which is synced, renamed over
    /// `path`, and the folder is synced. A failed step removes the sibling.
    ///
    /// The corresponding calls are `open(2)`, `write(2)`, `fsync(2)` and `rename(2)`.
    public static func replace(_ path: String, with bytes: [UInt8], mode: UInt32) -> Result<Void, Failure> {
        let temporary = path + ".tmp"
        do {
            let file = try FileDescriptor.open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode: mode)
            if case .failure(let errno) = bytes.withUnsafeBytes({ file.writeAll($0) }).flatMap({ file.sync() }) {
                _ = Syscall.unlink(temporary)
                return .failure(Failure(path: temporary, errno: errno))
            }
        } catch {
            return .failure(Failure(path: temporary, errno: error))
        }
        if case .failure(let errno) = Syscall.rename(temporary, path) {
            _ = Syscall.unlink(temporary)
            return .failure(Failure(path: path, errno: errno))
        }
        return syncDirectory(of: path)
    }

    /// Removes the file `path` (gone already is fine) and syncs its folder.
    ///
    /// The corresponding calls are `unlink(2)` and `fsync(2)` of the folder.
    public static func removeDurably(_ path: String) -> Result<Void, Failure> {
        if case .failure(let errno) = Syscall.unlink(path), errno.rawValue != ENOENT {
            return .failure(Failure(path: path, errno: errno))
        }
        return syncDirectory(of: path)
    }

    /// Creates `path` and its missing parents as folders with `mode`.
    ///
    /// The corresponding call is `mkdir(2)` of each component.
    public static func makeDirectories(_ path: String, mode: UInt32) -> Result<Void, Failure> {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            if case .failure(let errno) = Syscall.mkdir(current, mode: mode), errno.rawValue != EEXIST {
                return .failure(Failure(path: current, errno: errno))
            }
        }
        return .success(())
    }

    /// Syncs the folder holding `path`, so that a rename or removal in it lasts.
    private static func syncDirectory(of path: String) -> Result<Void, Failure> {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? "."
        do {
            let folder = try FileDescriptor.open(directory, flags: O_RDONLY | O_DIRECTORY)
            return folder.sync().mapError { Failure(path: directory, errno: $0) }
        } catch {
            return .failure(Failure(path: directory, errno: error))
        }
    }

    /// Creates the folder `path` with `mode` (EEXIST when something is there).
    ///
    /// The corresponding call is `mkdir(2)`.
    public static func makeDirectory(_ path: String, mode: UInt32) -> Result<Void, Errno> {
        Syscall.mkdir(path, mode: mode).map { _ in () }
    }

    /// A new folder only this user can enter, named by `template` with its
    /// trailing `XXXXXX` replaced.
    ///
    /// The corresponding call is `mkdtemp(3)`.
    public static func makeTemporaryDirectory(_ template: String) -> Result<String, Errno> {
        var name = Array(template.utf8CString)
        return name.withUnsafeMutableBufferPointer { buffer in
            Syscall.retryingEINTR { clinux_mkdtemp(buffer.baseAddress!) }
        }.map { _ in String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    }

    /// Writes `bytes` to a new or emptied plain file (mode `mode`), refusing to write through a link.
    ///
    /// The corresponding calls are `open(2)` with `O_CREAT | O_TRUNC | O_NOFOLLOW` and `write(2)`.
    public static func writeFile(_ path: String, _ bytes: [UInt8], mode: UInt32) -> Result<Void, Errno> {
        do {
            let file = try FileDescriptor.open(path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode: mode)
            return bytes.withUnsafeBytes { file.writeAll($0) }
        } catch {
            return .failure(error)
        }
    }

    /// Creates a symbolic link at `path` holding `target` (EEXIST when something is there).
    ///
    /// The corresponding call is `symlink(2)`.
    public static func makeLink(_ path: String, target: String) -> Result<Void, Errno> {
        Syscall.symlink(target, path).map { _ in () }
    }

    /// Renames `from` over `to`.
    ///
    /// The corresponding call is `rename(2)`.
    public static func rename(_ from: String, to: String) -> Result<Void, Errno> {
        Syscall.rename(from, to).map { _ in () }
    }

    /// Removes a file or a link (never what it points at).
    ///
    /// The corresponding call is `unlink(2)`.
    public static func unlink(_ path: String) -> Result<Void, Errno> {
        Syscall.unlink(path).map { _ in () }
    }

    /// Removes an empty folder.
    ///
    /// The corresponding call is `rmdir(2)`.
    public static func removeDirectory(_ path: String) -> Result<Void, Errno> {
        Syscall.rmdir(path).map { _ in () }
    }

    /// Sets the permission bits of `path` (following links).
    ///
    /// The corresponding call is `chmod(2)`.
    public static func changeMode(_ path: String, _ mode: UInt32) -> Result<Void, Errno> {
        Syscall.chmod(path, mode: mode).map { _ in () }
    }
}
