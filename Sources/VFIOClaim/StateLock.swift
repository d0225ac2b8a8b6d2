import Glibc
import LinuxSystem
import VFIOCore

/// The exclusive lock on the state directory: two vfioadm processes never
/// interleave their writes. Released when the object goes away (or the process dies).
public final class StateLock: Sendable {
    /// Held, never read: released when this object ends.
    private let lock: FileLock
    /// Seconds spent waiting for another vfioadm to finish.
    public let waited: Double

    /// Creates the state directory (0700, with missing parents) if needed, refuses one another user could
    /// steer (`StateDirectory`), and takes the lock, waiting for it.
    ///
    /// The corresponding calls are `mkdir(2)`, `open(2)` and `flock(2)` of `STATE/lock`.
    public init(_ paths: HostPaths) throws(ClaimError) {
        if case .failure(let failure) = FileSystem.makeDirectories(paths.state, mode: 0o700) {
            throw Self.failure(failure.path, failure.errno, "cannot create the state directory")
        }
        try StateDirectory.verify(paths)
        let file: FileDescriptor
        do { file = try FileDescriptor.open(paths.lock, flags: O_RDWR | O_CREAT | O_NOFOLLOW, mode: 0o600) } catch {
            throw Self.failure(paths.lock, error, "cannot open the lock")
        }
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        do { lock = try FileLock(exclusive: file) } catch { throw Self.failure(paths.lock, error, "cannot lock") }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        waited = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    private static func failure(_ path: String, _ errno: Errno, _ what: String) -> ClaimError {
        let code = errno.rawValue
        return ClaimError(code == EACCES || code == EPERM || code == EROFS ? .permission : .failed,
                          code: "state-directory", "\(what) \(path): \(errno)", path: path, errno: errno)
    }
}
