import Glibc
import LinuxSystem
import VFIOSysfs

/// A VFIO device's character device, `/dev/vfio/devices/vfioX`, found from the
/// PCI device's sysfs `vfio-dev/vfioX/dev` attribute. X is a global VFIO device
/// index, not the group number.
public struct DeviceCdev: Hashable, Sendable {
    /// `vfioX`
    public let name: String
    /// `/dev/vfio/devices/vfioX` under the dev root.
    public let path: String
    /// The `major:minor` sysfs gives, which the node was checked against.
    public let number: DeviceNumber

    /// The sysfs directory holding the device's `vfioX` entry.
    public static func vfioDevDirectory(_ address: PCIAddress, root: HostRoot) -> String {
        root.device(address) + "/vfio-dev"
    }

    /// Finds the cdev of a VFIO-bound PCI device and checks that the node under
    /// `root` is that character device. nil when sysfs has no `vfio-dev/vfioX/dev`:
    /// the device is not bound to a VFIO driver, or the kernel lacks cdev support
    /// (CONFIG_VFIO_DEVICE_CDEV, 6.6+), or it is a no-IOMMU device.
    ///
    /// The corresponding files are `/sys/bus/pci/devices/BDF/vfio-dev/vfioX/dev`
    /// and `/dev/vfio/devices/vfioX`.
    public static func locate(_ address: PCIAddress, root: HostRoot = HostRoot())
        throws(VFIOError) -> DeviceCdev?
    {
        let directory = vfioDevDirectory(address, root: root)
        guard case .success(let entries) = FileSystem.list(directory),
              let name = entries.first(where: { $0.hasPrefix("vfio") && $0.utf8.count <= 64 && !$0.contains("/") })
        else { return nil }
        let attribute = directory + "/" + name + "/dev"
        guard case .success(let text) = FileSystem.readText(attribute) else { return nil }
        guard let number = DeviceNumber(text) else {
            throw VFIOError(.open, path: attribute, errno: Errno(rawValue: EINVAL),
                            reason: "expected major:minor, read \"\(text)\"")
        }
        let path = root.cdev(name)
        switch FileSystem.characterDevice(path) {
        case .failure(let errno):
            throw VFIOError(.stat, path: path, errno: errno)
        case .success(let node) where !node.isCharacterDevice:
            throw VFIOError(.stat, path: path, errno: Errno(rawValue: ENODEV),
                            reason: "not a character device (sysfs says \(number))")
        case .success(let node) where node.rdev != number:
            throw VFIOError(.stat, path: path, errno: Errno(rawValue: ENODEV),
                            reason: "node is \(node.rdev), but sysfs says \(number)")
        case .success:
            return DeviceCdev(name: name, path: path, number: number)
        }
    }
}
