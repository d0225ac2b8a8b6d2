import Glibc
import CLinuxSystem

/// The raw layer: calls that return `Result<T, Errno>` with EINTR already retried.
/// The C shims return the result or the negated errno, read in C at the call.
/// The generic entry points are inlinable so that VFIOCore's DMA loops get them
/// specialized (a generic call per map or unmap costs a metadata lookup).
public enum Syscall {
    /// Repeats `body` while it fails with EINTR. `body` follows the kernel's
    /// convention: a non-negative result, or the negated errno.
    @inlinable
    public static func retryingEINTR<T: FixedWidthInteger & SignedInteger>(_ body: () -> T) -> Result<T, Errno> {
        while true {
            let result = body()
            if result >= 0 { return .success(result) }
            let code = Int32(truncatingIfNeeded: -result)
            if code == EINTR { continue }
            return .failure(Errno(rawValue: code))
        }
    }

    /// An ioctl that takes no argument.
    public static func ioctl(_ fd: Int32, _ request: UInt) -> Result<Int32, Errno> {
        retryingEINTR { clinux_ioctl_none(fd, request) }
    }

    /// An ioctl whose argument is an integer passed by value.
    public static func ioctl(_ fd: Int32, _ request: UInt, value: UInt) -> Result<Int32, Errno> {
        retryingEINTR { clinux_ioctl_value(fd, request, value) }
    }

    /// An ioctl whose argument points at a buffer.
    public static func ioctl(_ fd: Int32, _ request: UInt, pointer: UnsafeMutableRawPointer?) -> Result<Int32, Errno> {
        retryingEINTR { clinux_ioctl_pointer(fd, request, pointer) }
    }

    /// An ioctl whose argument points at one struct, read and written in place.
    @inlinable
    public static func ioctl<T>(_ fd: Int32, _ request: UInt, _ argument: inout T) -> Result<Int32, Errno> {
        withUnsafeMutableBytes(of: &argument) { raw in
            ioctl(fd, request, pointer: raw.baseAddress)
        }
    }

    /// `open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC)`.
    public static func openPathOnly(_ path: String) -> Result<Int32, Errno> {
        retryingEINTR { clinux_open_path_nofollow(path) }
    }

    /// `fchownat(fd, "", uid, gid, AT_EMPTY_PATH)`: the owner of what an `O_PATH` handle names.
    public static func fchownHandle(_ fd: Int32, uid: UInt32, gid: UInt32) -> Result<Int32, Errno> {
        retryingEINTR { clinux_fchown_handle(fd, uid, gid) }
    }

    /// `getdents64(2)` into `buffer`: bytes of records filled in, 0 at the end of the directory.
    public static func getdents64(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        retryingEINTR { clinux_getdents64(fd, buffer.baseAddress, buffer.count) }
    }

    /// Reads exactly `buffer.count` bytes at `offset`, looping over short reads.
    /// A read that ends early (end of region) fails with EIO.
    public static func preadAll(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, offset: UInt64) -> Result<Void, Errno> {
        var done = 0
        while done < buffer.count {
            let base = buffer.baseAddress.map { $0 + done }
            let position = Int64(bitPattern: offset &+ UInt64(done))
            switch retryingEINTR({ clinux_pread(fd, base, buffer.count - done, position) }) {
            case .failure(let errno): return .failure(errno)
            case .success(0): return .failure(Errno(rawValue: EIO))
            case .success(let count): done += count
            }
        }
        return .success(())
    }

    /// Writes exactly `buffer.count` bytes at `offset`, looping over short writes.
    public static func pwriteAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, offset: UInt64) -> Result<Void, Errno> {
        var done = 0
        while done < buffer.count {
            let base = buffer.baseAddress.map { $0 + done }
            let position = Int64(bitPattern: offset &+ UInt64(done))
            switch retryingEINTR({ clinux_pwrite(fd, base, buffer.count - done, position) }) {
            case .failure(let errno): return .failure(errno)
            case .success(0): return .failure(Errno(rawValue: EIO))
            case .success(let count): done += count
            }
        }
        return .success(())
    }
}
