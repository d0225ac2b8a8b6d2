import Glibc

/// A handle on a name itself and what it can do to the file it names: read its
/// status and change its owner and mode without looking the name up again.
extension FileDescriptor {
    /// Opens the name `path` itself without following a symlink or opening the
    /// device behind it: a handle for `fstat`, `fchownat` and a `chmod` of
    /// `/proc/self/fd/N`, which a symlink swapped in later cannot redirect.
    ///
    /// The corresponding system call is `open(2)` with `O_PATH | O_NOFOLLOW | O_CLOEXEC`.
    public static func openPathOnly(_ path: String) throws(Errno) -> FileDescriptor {
        FileDescriptor(adopting: try Syscall.openPathOnly(path).get(), path: path)
    }

    /// Gives the file to `uid`:`gid`.
    ///
    /// The corresponding system call is `fchownat(2)` with `AT_EMPTY_PATH`.
    public func changeOwner(uid: UInt32, gid: UInt32) throws(Errno) {
        _ = try Syscall.fchownHandle(rawValue, uid: uid, gid: gid).get()
    }

    /// Sets the permission bits. `fchmod` refuses an `O_PATH` handle, so this goes
    /// through the handle's `/proc/self/fd` link, which names the opened file itself.
    ///
    /// The corresponding system call is `chmod(2)` of `/proc/self/fd/N`.
    public func changeMode(_ mode: UInt32) throws(Errno) {
        let link = "/proc/self/fd/\(rawValue)"
        _ = try Syscall.chmod(link, mode: mode).get()
    }
}
