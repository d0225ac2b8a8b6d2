import Glibc
import LinuxSystem
import VFIOCore

/// The exclusive lock on the state directory: two vfioadm processes never
/// interleave their writes. Released when the object goes away (or the process dies).
public final class StateLock: Sendable {
    private let fd: Int32
    /// Seconds spent waiting for another vfioadm to finish.
    public let waited: Double

    /// Creates the state directory (0700, with missing parents) if needed, refuses one another user could
    /// steer (`StateDirectory`), and takes the lock, waiting for it.
    ///
    /// The corresponding calls are `mkdir(2)`, `open(2)` and `flock(2)` of `STATE/lock`.
    public init(_ paths: HostPaths) throws(ClaimError) {
        var prefix = ""
        for component in paths.state.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw Self.failure(prefix, errno, "cannot create the state directory")
            }
        }
        try StateDirectory.verify(paths)
        let fd = open(paths.lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Self.failure(paths.lock, errno, "cannot open the lock") }
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        var result: Int32
        repeat { result = flock(fd, LOCK_EX) } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Self.failure(paths.lock, code, "cannot lock")
        }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        self.fd = fd
        waited = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    deinit { close(fd) }

    private static func failure(_ path: String, _ code: Int32, _ what: String) -> ClaimError {
        ClaimError(code == EACCES || code == EPERM || code == EROFS ? .permission : .failed, code: "state-directory",
                   "\(what) \(path): \(Errno(rawValue: code))", path: path, errno: Errno(rawValue: code))
    }
}
