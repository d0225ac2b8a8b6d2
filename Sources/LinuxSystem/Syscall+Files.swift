import Glibc
import CLinuxSystem

/// The file calls, each with EINTR retried by `retryingEINTR`. Callers outside
/// LinuxSystem use `FileDescriptor`, `FileStatus`, `FileLock` and `FileSystem`.
extension Syscall {
    /// `openat(2)` of `path` relative to `directory` (`AT_FDCWD`: the working directory).
    @inlinable
    public static func openat(_ directory: Int32, _ path: String, flags: Int32, mode: UInt32 = 0) -> Result<Int32, Errno> {
        retryingEINTR { clinux_openat(directory, path, flags, mode) }
    }

    /// `read(2)` at the file offset: the bytes read, 0 at the end of the file.
    @inlinable
    public static func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        retryingEINTR { clinux_read(fd, buffer.baseAddress, buffer.count) }
    }

    /// `write(2)` at the file offset: the bytes written, maybe fewer than asked.
    public static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        retryingEINTR { clinux_write(fd, buffer.baseAddress, buffer.count) }
    }

    /// Writes all of `buffer` with `write(2)`, continuing after short writes; a
    /// write that takes nothing of a non-empty rest fails with EIO. For the
    /// standard streams, which no `FileDescriptor` owns; files use `FileDescriptor.writeAll`.
    public static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Result<Void, Errno> {
        writeAll(buffer) { write(fd, $0) }
    }

    /// The loop of `writeAll`: `write` takes the rest each time and says how much of it it took.
    static func writeAll(_ buffer: UnsafeRawBufferPointer, _ write: (UnsafeRawBufferPointer) -> Result<Int, Errno>)
        -> Result<Void, Errno>
    {
        var done = 0
        while done < buffer.count {
            switch write(UnsafeRawBufferPointer(rebasing: buffer[done...])) {
            case .failure(let errno): return .failure(errno)
            case .success(0): return .failure(Errno(rawValue: EIO))
            case .success(let count): done += count
            }
        }
        return .success(())
    }

    /// `pread(2)` at `offset`: the bytes read, 0 past the end.
    public static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, offset: UInt64) -> Result<Int, Errno> {
        retryingEINTR { clinux_pread(fd, buffer.baseAddress, buffer.count, Int64(bitPattern: offset)) }
    }

    /// `fsync(2)`.
    public static func fsync(_ fd: Int32) -> Result<Int32, Errno> {
        retryingEINTR { clinux_fsync(fd) }
    }

    /// `flock(2)` with `operation` (`LOCK_EX`, `LOCK_UN`, ...).
    public static func flock(_ fd: Int32, _ operation: Int32) -> Result<Int32, Errno> {
        retryingEINTR { clinux_flock(fd, operation) }
    }

    /// `fstatat(2)`: `AT_SYMLINK_NOFOLLOW` in `flags` for `lstat`.
    static func fstatat(_ directory: Int32, _ path: String, flags: Int32) -> Result<stat, Errno> {
        var info = stat()
        return retryingEINTR { clinux_fstatat(directory, path, &info, flags) }.map { _ in info }
    }

    /// `fstat(2)`.
    static func fstat(_ fd: Int32) -> Result<stat, Errno> {
        var info = stat()
        return retryingEINTR { clinux_fstat(fd, &info) }.map { _ in info }
    }

    /// `rename(2)`.
    static func rename(_ from: String, _ to: String) -> Result<Int32, Errno> {
        retryingEINTR { clinux_rename(from, to) }
    }

    /// `unlink(2)`.
    static func unlink(_ path: String) -> Result<Int32, Errno> {
        retryingEINTR { clinux_unlink(path) }
    }

    /// `mkdir(2)`.
    static func mkdir(_ path: String, mode: UInt32) -> Result<Int32, Errno> {
        retryingEINTR { clinux_mkdir(path, mode) }
    }

    /// `rmdir(2)`.
    static func rmdir(_ path: String) -> Result<Int32, Errno> {
        retryingEINTR { clinux_rmdir(path) }
    }

    /// `symlink(2)`: a link at `path` holding `target`.
    static func symlink(_ target: String, _ path: String) -> Result<Int32, Errno> {
        retryingEINTR { clinux_symlink(target, path) }
    }

    /// `chmod(2)`.
    static func chmod(_ path: String, mode: UInt32) -> Result<Int32, Errno> {
        retryingEINTR { clinux_chmod(path, mode) }
    }

    /// `waitpid(2)` for `pid`: its wait status.
    public static func waitpid(_ pid: Int32) -> Result<Int32, Errno> {
        var status: Int32 = 0
        return retryingEINTR { clinux_waitpid(pid, &status) }.map { _ in status }
    }

    /// `mmap(2)` of `length` bytes (an anonymous mapping with `fd` -1).
    public static func mmap(length: Int, protection: Int32, flags: Int32, fd: Int32 = -1,
                            offset: UInt64 = 0) -> Result<UnsafeMutableRawPointer, Errno>
    {
        var mapped: UnsafeMutableRawPointer?
        return retryingEINTR { clinux_mmap(&mapped, length, protection, flags, fd, Int64(bitPattern: offset)) }
            .map { _ in mapped! }
    }
}
