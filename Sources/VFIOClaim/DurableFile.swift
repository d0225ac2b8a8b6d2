import Glibc
import LinuxSystem
import VFIOCore

/// Files that must survive a crash or a power cut whole or not at all:
/// journals and persistent claims. A write goes to a temporary sibling, is
/// synced, renamed over the file, and the directory is synced.
enum DurableFile {
    /// A failed step: the path it concerned and the errno.
    struct Failure: Error {
        let path: String
        let errno: Errno

        /// The claim error it makes: a permission problem (77) for EACCES and EROFS, else a failure.
        func claimError(code: String, _ what: String = "cannot write") -> ClaimError {
            let number = errno.rawValue
            return ClaimError(number == EACCES || number == EROFS ? .permission : .failed, code: code,
                              "\(what) \(path): \(errno)", path: path, errno: errno)
        }
    }

    /// Throws the claim error of a failed step.
    static func check(_ result: Result<Void, Failure>, code: String, _ what: String = "cannot write") throws(ClaimError) {
        if case .failure(let failure) = result { throw failure.claimError(code: code, what) }
    }

    /// Replaces `path` with `bytes` (mode `mode`), durably.
    ///
    /// The corresponding calls are `open(2)`, `write(2)`, `fsync(2)` and `rename(2)`.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) -> Result<Void, Failure> {
        let temporary = path + ".tmp"
        let written = step(temporary) {
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
            guard fd >= 0 else { return errno }
            defer { close(fd) }
            var done = 0
            while done < bytes.count {
                let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += count
            }
            return fsync(fd) == 0 ? 0 : errno
        }
        return written.flatMap { step(path) { rename(temporary, path) == 0 ? 0 : errno } }
            .flatMap { syncDirectory(of: path) }
    }

    /// Removes `path` (gone already is fine), durably.
    static func remove(_ path: String) -> Result<Void, Failure> {
        step(path) { unlink(path) == 0 || errno == ENOENT ? 0 : errno }.flatMap { syncDirectory(of: path) }
    }

    /// Creates `path` and its parents as directories with `mode` where they are missing.
    static func makeDirectory(_ path: String, mode: mode_t = 0o755) -> Result<Void, Failure> {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0, errno != EEXIST { return .failure(Failure(path: current, errno: Errno(rawValue: errno))) }
        }
        return .success(())
    }

    private static func syncDirectory(of path: String) -> Result<Void, Failure> {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? "."
        return step(directory) {
            let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return errno }
            defer { close(fd) }
            return fsync(fd) == 0 ? 0 : errno
        }
    }

    private static func step(_ path: String, _ body: () -> Int32) -> Result<Void, Failure> {
        let code = body()
        return code == 0 ? .success(()) : .failure(Failure(path: path, errno: Errno(rawValue: code)))
    }
}
