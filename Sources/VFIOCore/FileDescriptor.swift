import Glibc

/// An open file descriptor with exactly one owner: it cannot be copied, and it
/// is closed once, when its owner ends.
public struct FileDescriptor: ~Copyable, Sendable {
    /// The descriptor number, for calls VFIOCore does not wrap. Valid while this value lives.
    public let rawValue: Int32
    /// The node it was opened from, for error messages.
    public let path: String

    /// Takes ownership of an open descriptor.
    public init(adopting rawValue: Int32, path: String) {
        self.rawValue = rawValue
        self.path = path
    }

    /// Opens `path` read-write and close-on-exec.
    ///
    /// The corresponding system call is `open(2)` with `O_RDWR | O_CLOEXEC`.
    public static func open(_ path: String) throws(VFIOError) -> FileDescriptor {
        let fd = try Syscall.openReadWrite(path).get(.open, path: path)
        return FileDescriptor(adopting: fd, path: path)
    }

    /// Opens the name `path` itself without following a symlink or opening the
    /// device behind it: a handle for `fstat`, `fchownat` and a `chmod` of
    /// `/proc/self/fd/N`, which a symlink swapped in later cannot redirect.
    ///
    /// The corresponding system call is `open(2)` with `O_PATH | O_NOFOLLOW | O_CLOEXEC`.
    public static func openPathOnly(_ path: String) throws(VFIOError) -> FileDescriptor {
        let fd = try Syscall.openPathOnly(path).get(.open, path: path)
        return FileDescriptor(adopting: fd, path: path)
    }

    deinit {
        // Linux releases the descriptor even when close fails (also on EINTR),
        // so a retry could close a number another thread has just been given.
        _ = Glibc.close(rawValue)
    }
}
