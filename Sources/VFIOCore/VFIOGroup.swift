import Glibc
import CVFIO
import LinuxSystem
import VFIOSysfs

/// An IOMMU group's VFIO node, `/dev/vfio/N` or `/dev/vfio/noiommu-N`. Only one
/// process may hold it open. Closed when the last reference goes.
public final class VFIOGroup: Sendable {
    let fd: FileDescriptor

    /// The node it was opened from.
    public var path: String { fd.path }
    /// The descriptor number, valid while this object lives.
    public var descriptor: Int32 { fd.rawValue }

    /// Opens a group node by path.
    ///
    /// The corresponding system call is `open(2)` of `/dev/vfio/N`.
    public init(path: String) throws(VFIOError) {
        fd = try FileDescriptor.open(path)
    }

    /// Opens `/dev/vfio/N` (or `/dev/vfio/noiommu-N`) under `root`.
    public convenience init(_ id: IOMMUGroupID, noIOMMU: Bool = false, root: HostRoot = HostRoot()) throws(VFIOError) {
        try self.init(path: root.groupNode(id, noIOMMU: noIOMMU))
    }

    /// Whether the group is viable and has a container.
    ///
    /// The corresponding ioctl is `VFIO_GROUP_GET_STATUS`.
    public func status() throws(VFIOError) -> GroupStatus {
        var request = vfio_group_status()
        request.argsz = UInt32(MemoryLayout<vfio_group_status>.size)
        _ = try Syscall.ioctl(descriptor, VFIO_GROUP_GET_STATUS_REQUEST, &request).get(.groupGetStatus, path: path)
        return GroupStatus(rawValue: request.flags)
    }

    /// Attaches the group to a container; this claims the group's DMA ownership.
    ///
    /// The corresponding ioctl is `VFIO_GROUP_SET_CONTAINER`.
    public func setContainer(_ container: VFIOContainer) throws(VFIOError) {
        try setContainer(descriptor: container.descriptor)
    }

    /// Attaches the group to an iommufd, which then acts as its container (the
    /// compat route, 6.2+). Ownership is claimed later, at `VFIO_GROUP_GET_DEVICE_FD`.
    ///
    /// The corresponding ioctl is `VFIO_GROUP_SET_CONTAINER`.
    public func setContainer(_ iommufd: IOMMUFD) throws(VFIOError) {
        try setContainer(descriptor: iommufd.descriptor)
    }

    /// Attaches the group to the container or iommufd open as `descriptor`.
    ///
    /// The corresponding ioctl is `VFIO_GROUP_SET_CONTAINER`.
    public func setContainer(descriptor container: Int32) throws(VFIOError) {
        var argument = container
        _ = try Syscall.ioctl(descriptor, VFIO_GROUP_SET_CONTAINER_REQUEST, &argument)
            .get(.groupSetContainer, path: path)
    }

    /// Detaches the group from its container; fails with EBUSY while device fds are open.
    ///
    /// The corresponding ioctl is `VFIO_GROUP_UNSET_CONTAINER`.
    public func unsetContainer() throws(VFIOError) {
        _ = try Syscall.ioctl(descriptor, VFIO_GROUP_UNSET_CONTAINER_REQUEST).get(.groupUnsetContainer, path: path)
    }

    /// A new descriptor for the named device (`0000:00:03.0`, optionally followed
    /// by ` vf_token=<uuid>`). Needs a container with an IOMMU set, or an iommufd.
    ///
    /// The corresponding ioctl is `VFIO_GROUP_GET_DEVICE_FD`.
    public func deviceDescriptor(_ name: String) throws(VFIOError) -> FileDescriptor {
        var bytes = Array(name.utf8CString)
        let fd = try bytes.withUnsafeMutableBytes { raw in
            Syscall.ioctl(descriptor, VFIO_GROUP_GET_DEVICE_FD_REQUEST, pointer: raw.baseAddress)
        }.get(.groupGetDeviceFD, path: path)
        return FileDescriptor(adopting: fd, path: path)
    }

    /// Opens a device of this group.
    ///
    /// The corresponding ioctl is `VFIO_GROUP_GET_DEVICE_FD`.
    public func openDevice(_ address: PCIAddress) throws(VFIOError) -> VFIODevice {
        let fd = try deviceDescriptor(address.description)
        return VFIODevice(fd, name: address.description)
    }
}
