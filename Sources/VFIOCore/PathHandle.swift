import CVFIO
import Glibc

/// What a handle from `FileDescriptor.openPathOnly` can do to the file it names:
/// read its status and change its owner and mode without looking the name up again.
extension FileDescriptor {
    /// The file's type, owner and mode.
    ///
    /// The corresponding system call is `fstat(2)`.
    public func status() throws(VFIOError) -> stat {
        var info = stat()
        _ = try Syscall.retryingEINTR { fstat(rawValue, &info) == 0 ? 0 : -errno }.get(.fstat, path: path)
        return info
    }

    /// Gives the file to `uid`:`gid`.
    ///
    /// The corresponding system call is `fchownat(2)` with `AT_EMPTY_PATH`.
    public func changeOwner(uid: UInt32, gid: UInt32) throws(VFIOError) {
        _ = try Syscall.retryingEINTR { cvfio_fchown_handle(rawValue, uid, gid) }.get(.fchownat, path: path)
    }

    /// Sets the permission bits. `fchmod` refuses an `O_PATH` handle, so this goes
    /// through the handle's `/proc/self/fd` link, which names the opened file itself.
    ///
    /// The corresponding system call is `chmod(2)` of `/proc/self/fd/N`.
    public func changeMode(_ mode: UInt32) throws(VFIOError) {
        let link = "/proc/self/fd/\(rawValue)"
        _ = try Syscall.retryingEINTR { chmod(link, mode_t(mode)) == 0 ? 0 : -errno }.get(.chmod, path: path)
    }
}
