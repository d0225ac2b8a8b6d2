import Glibc
import CVFIO
import LinuxSystem

/// What the kernel says about a loop device's backing file.
public enum LoopStatus {
    /// The device (`st_dev`) of the file behind the loop device at `node`,
    /// which the kernel keeps even when the file's path is gone (a lazy unmount).
    ///
    /// The corresponding ioctl is `LOOP_GET_STATUS64`.
    public static func backingDevice(_ node: String) -> Result<DeviceNumber, Errno> {
        let descriptor: Int32
        switch FileSystem.openReadOnly(node) {
        case .success(let fd): descriptor = fd
        case .failure(let error): return .failure(error)
        }
        defer { _ = Glibc.close(descriptor) }
        var info = cvfio_loop_info64()
        return Syscall.ioctl(descriptor, LOOP_GET_STATUS64_REQUEST, &info).map { _ in DeviceNumber(rdev: info.lo_device) }
    }
}
