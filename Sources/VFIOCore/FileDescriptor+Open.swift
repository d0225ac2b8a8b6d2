import Glibc
import LinuxSystem

/// Opening the VFIO and iommufd nodes, with failures as `VFIOError`s naming the node.
extension FileDescriptor {
    /// Opens `path` read-write and close-on-exec.
    ///
    /// The corresponding system call is `open(2)` with `O_RDWR | O_CLOEXEC`.
    public static func open(_ path: String) throws(VFIOError) -> FileDescriptor {
        do { return try FileDescriptor.open(path, flags: O_RDWR) } catch { throw VFIOError(.open, path: path, errno: error) }
    }
}
