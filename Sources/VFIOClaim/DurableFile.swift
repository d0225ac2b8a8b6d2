import Glibc
import LinuxSystem
import VFIOCore

/// Files that must survive a crash or a power cut whole or not at all:
/// journals and persistent claims, through `FileSystem`'s durable changes.
enum DurableFile {
    /// A failed step: the path it concerned and the errno.
    typealias Failure = FileSystem.Failure

    /// Throws the claim error of a failed step.
    static func check(_ result: Result<Void, Failure>, code: String, _ what: String = "cannot write") throws(ClaimError) {
        if case .failure(let failure) = result { throw failure.claimError(code: code, what) }
    }

    /// Replaces `path` with `bytes` (mode `mode`), durably: a temporary sibling,
    /// synced, renamed over the file, and the directory synced.
    ///
    /// The corresponding calls are `open(2)`, `write(2)`, `fsync(2)` and `rename(2)`.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) -> Result<Void, Failure> {
        FileSystem.replace(path, with: bytes, mode: mode)
    }

    /// Removes `path` (gone already is fine), durably.
    static func remove(_ path: String) -> Result<Void, Failure> {
        FileSystem.removeDurably(path)
    }

    /// Creates `path` and its parents as directories with `mode` where they are missing.
    static func makeDirectory(_ path: String, mode: mode_t = 0o755) -> Result<Void, Failure> {
        FileSystem.makeDirectories(path, mode: mode)
    }
}

extension FileSystem.Failure {
    /// The claim error it makes: a permission problem (77) for EACCES and EROFS, else a failure.
    func claimError(code: String, _ what: String = "cannot write") -> ClaimError {
        let number = errno.rawValue
        return ClaimError(number == EACCES || number == EROFS ? .permission : .failed, code: code,
                          "\(what) \(path): \(errno)", path: path, errno: errno)
    }
}
