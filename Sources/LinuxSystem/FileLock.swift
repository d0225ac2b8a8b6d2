import Glibc

/// An exclusive `flock` on an open file, held while this value lives: it owns
/// the descriptor, and unlocking and closing it ends the lock. A second open
/// of the same file, in this process or another, waits for it.
public struct FileLock: ~Copyable, Sendable {
    private let file: FileDescriptor

    /// Takes the exclusive lock on `file`, waiting while another holds it; on
    /// failure `file` is closed.
    ///
    /// The corresponding system call is `flock(2)` with `LOCK_EX`.
    public init(exclusive file: consuming FileDescriptor) throws(Errno) {
        _ = try Syscall.flock(file.rawValue, LOCK_EX).get()
        self.file = file
    }

    deinit {
        // Closing the last descriptor releases the lock too; unlocking first
        // releases it even while a forked child still holds a copy.
        _ = Syscall.flock(file.rawValue, LOCK_UN)
    }
}
