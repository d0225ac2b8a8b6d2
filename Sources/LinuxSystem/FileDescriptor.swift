import Glibc

/// An open file descriptor with exactly one owner: it cannot be copied, and it
/// is closed once, when its owner ends.
public struct FileDescriptor: ~Copyable, Sendable {
    /// The descriptor number, lent for ioctls and `*at` calls while this value
    /// lives; never closed by anyone but this value.
    public let rawValue: Int32
    /// The node it was opened from, for error messages.
    public let path: String

    /// Takes ownership of a descriptor the kernel has just returned from a call
    /// LinuxSystem does not make itself (`VFIO_GROUP_GET_DEVICE_FD`). Package-only:
    /// adopting a number another value owns would close it twice.
    @usableFromInline
    package init(adopting rawValue: Int32, path: String) {
        self.rawValue = rawValue
        self.path = path
    }

    /// Opens `path` (relative to the open directory `directory`, else to the
    /// working directory) with `flags`, `O_CLOEXEC` always added, and `mode`
    /// for a file `O_CREAT` makes.
    ///
    /// The corresponding system call is `openat(2)`.
    @inlinable
    public static func open(_ path: String, flags: Int32, mode: UInt32 = 0, at directory: Int32 = AT_FDCWD)
        throws(Errno) -> FileDescriptor
    {
        FileDescriptor(adopting: try Syscall.openat(directory, path, flags: flags | O_CLOEXEC, mode: mode).get(),
                       path: path)
    }

    deinit {
        // Linux releases the descriptor even when close fails (also on EINTR),
        // so a retry could close a number another thread has just been given.
        _ = Glibc.close(rawValue)
    }
}

extension FileDescriptor {
    /// Reads from the file offset into `buffer` until it is full or the file
    /// ends: the bytes read. With `shortReadEnds` a read that returns fewer
    /// bytes than asked is taken as the end, saving the call that would return
    /// 0: sysfs hands over a whole attribute at once, and a regular file only
    /// reads short at its end. procfs files need `shortReadEnds` false.
    ///
    /// The corresponding system call is `read(2)`.
    @inlinable
    public borrowing func read(filling buffer: UnsafeMutableRawBufferPointer, shortReadEnds: Bool)
        -> Result<Int, Errno>
    {
        var length = 0
        while length < buffer.count {
            let wanted = buffer.count - length
            switch Syscall.read(rawValue, UnsafeMutableRawBufferPointer(rebasing: buffer[length...])) {
            case .failure(let errno): return .failure(errno)
            case .success(0): return .success(length)
            case .success(let count):
                length += count
                if shortReadEnds, count < wanted { return .success(length) }
            }
        }
        return .success(length)
    }

    /// Reads at `offset` into `buffer` until it is full or the file ends: the bytes read.
    ///
    /// The corresponding system call is `pread(2)`.
    public borrowing func pread(filling buffer: UnsafeMutableRawBufferPointer, offset: UInt64) -> Result<Int, Errno> {
        var length = 0
        while length < buffer.count {
            let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[length...])
            switch Syscall.pread(rawValue, rest, offset: offset &+ UInt64(length)) {
            case .failure(let errno): return .failure(errno)
            case .success(0): return .success(length)
            case .success(let count): length += count
            }
        }
        return .success(length)
    }

    /// One `write` of `bytes`: the bytes the kernel took, maybe fewer. For
    /// sysfs attributes, whose store callback sees each write on its own.
    ///
    /// The corresponding system call is `write(2)`.
    public borrowing func write(_ bytes: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        Syscall.write(rawValue, bytes)
    }

    /// Writes all of `bytes`, continuing after short writes. A write that
    /// takes nothing of a non-empty rest fails with EIO (no progress is possible).
    ///
    /// The corresponding system call is `write(2)`.
    public borrowing func writeAll(_ bytes: UnsafeRawBufferPointer) -> Result<Void, Errno> {
        Syscall.writeAll(rawValue, bytes)
    }

    /// Flushes the file's data and metadata to the device.
    ///
    /// The corresponding system call is `fsync(2)`.
    public borrowing func sync() -> Result<Void, Errno> {
        Syscall.fsync(rawValue).map { _ in () }
    }
}
