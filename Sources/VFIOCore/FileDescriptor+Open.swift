import LinuxSystem

/// Opening the VFIO and iommufd nodes, with failures as `VFIOError`s naming the node.
extension FileDescriptor {
    /// Opens `path` read-write and close-on-exec.
    ///
    /// The corresponding system call is `open(2)` with `O_RDWR | O_CLOEXEC`.
    public static func open(_ path: String) throws(VFIOError) -> FileDescriptor {
        let fd = try Syscall.openReadWrite(path).get(.open, path: path)
        return FileDescriptor(adopting: fd, path: path)
    }
}
