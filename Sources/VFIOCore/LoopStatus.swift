import CVFIO
import LinuxSystem

/// What the kernel says about a loop device's backing file.
public enum LoopStatus {
    /// The device (`st_dev`) of the file behind the loop device at `node`,
    /// which the kernel keeps even when the file's path is gone (a lazy unmount).
    ///
    /// The corresponding ioctl is `LOOP_GET_STATUS64`.
    public static func backingDevice(_ node: String) -> Result<DeviceNumber, Errno> {
        do {
            let file = try FileSystem.openReadOnly(node)
            var info = cvfio_loop_info64()
            return Syscall.ioctl(file.rawValue, LOOP_GET_STATUS64_REQUEST, &info).map { _ in DeviceNumber(rdev: info.lo_device) }
        } catch {
            return .failure(error)
        }
    }
}
