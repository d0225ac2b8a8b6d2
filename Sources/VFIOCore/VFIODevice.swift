import Glibc
import CVFIO
import LinuxSystem

/// A VFIO device descriptor, from `VFIOGroup.openDevice` or from the device's
/// cdev (`/dev/vfio/devices/vfioX`). Closing it (when the last reference goes)
/// also unbinds a cdev from its iommufd.
public final class VFIODevice: Sendable {
    let fd: FileDescriptor
    /// The device name (`0000:00:03.0`) for a device opened through its group,
    /// or the cdev path; errors name it.
    public let name: String

    /// The descriptor number, valid while this object lives.
    public var descriptor: Int32 { fd.rawValue }

    /// Takes ownership of a device descriptor.
    public init(_ fd: consuming FileDescriptor, name: String) {
        self.fd = fd
        self.name = name
    }

    /// Opens a device cdev. Every ioctl but `bindIOMMUFD` fails with EINVAL until it is bound.
    ///
    /// The corresponding system call is `open(2)` of `/dev/vfio/devices/vfioX`.
    public convenience init(cdev path: String) throws(VFIOError) {
        self.init(try FileDescriptor.open(path), name: path)
    }

    /// The device's flags, region and IRQ counts and capabilities.
    ///
    /// The corresponding ioctl is `VFIO_DEVICE_GET_INFO`.
    public func info() throws(VFIOError) -> DeviceInfo {
        let fd = descriptor
        let buffer = try ArgszQuery.fetch(
            initialSize: MemoryLayout<vfio_device_info>.size,
            call: { Syscall.ioctl(fd, VFIO_DEVICE_GET_INFO_REQUEST, pointer: $0.baseAddress) }
        ).get(.deviceGetInfo, path: name)
        return DeviceInfo(decoding: buffer)
    }

    /// One region's size, offset, flags and capabilities (sparse mmap areas, type).
    ///
    /// The corresponding ioctl is `VFIO_DEVICE_GET_REGION_INFO`.
    public func regionInfo(_ index: RegionIndex) throws(VFIOError) -> RegionInfo {
        let fd = descriptor
        let buffer = try ArgszQuery.fetch(
            initialSize: MemoryLayout<vfio_region_info>.size,
            prepare: { $0.store(index.rawValue, at: fieldOffset(\vfio_region_info.index)) },
            call: { Syscall.ioctl(fd, VFIO_DEVICE_GET_REGION_INFO_REQUEST, pointer: $0.baseAddress) }
        ).get(.deviceGetRegionInfo, path: name)
        return RegionInfo(decoding: buffer)
    }

    /// Every region the device reports, skipping indexes the kernel refuses with
    /// EINVAL (such as VGA on a non-VGA device). Absent regions have size 0.
    ///
    /// The corresponding ioctl is `VFIO_DEVICE_GET_REGION_INFO`.
    public func regions() throws(VFIOError) -> [RegionInfo] {
        let count = try info().regionCount
        var regions: [RegionInfo] = []
        for index in 0..<count {
            do {
                regions.append(try regionInfo(RegionIndex(rawValue: index)))
            } catch where error.errno.rawValue == EINVAL {
                continue
            }
        }
        return regions
    }

    /// One IRQ index's flags and vector count.
    ///
    /// The corresponding ioctl is `VFIO_DEVICE_GET_IRQ_INFO`.
    public func irqInfo(_ index: IRQIndex) throws(VFIOError) -> IRQInfo {
        var request = vfio_irq_info()
        request.argsz = UInt32(MemoryLayout<vfio_irq_info>.size)
        request.index = index.rawValue
        _ = try Syscall.ioctl(descriptor, VFIO_DEVICE_GET_IRQ_INFO_REQUEST, &request)
            .get(.deviceGetIRQInfo, path: name)
        return IRQInfo(index: IRQIndex(rawValue: request.index), flags: IRQFlags(rawValue: request.flags),
                       count: request.count)
    }

    /// Resets the device (function-level reset or whatever method the kernel picks).
    /// EINVAL when the device has no reset method (`DeviceFlags.reset` clear).
    ///
    /// The corresponding ioctl is `VFIO_DEVICE_RESET`.
    public func reset() throws(VFIOError) {
        _ = try Syscall.ioctl(descriptor, VFIO_DEVICE_RESET_REQUEST).get(.deviceReset, path: name)
    }

    // MARK: iommufd (cdev only)

    /// Binds this cdev to an iommufd and returns the device's object ID there.
    /// This claims the group's DMA ownership; closing the device unbinds.
    ///
    /// The corresponding ioctl is `VFIO_DEVICE_BIND_IOMMUFD`.
    public func bindIOMMUFD(_ iommufd: IOMMUFD) throws(VFIOError) -> UInt32 {
        var request = vfio_device_bind_iommufd()
        request.argsz = UInt32(MemoryLayout<vfio_device_bind_iommufd>.size)
        request.iommufd = iommufd.descriptor
        _ = try Syscall.ioctl(descriptor, VFIO_DEVICE_BIND_IOMMUFD_REQUEST, &request)
            .get(.deviceBindIOMMUFD, path: name)
        return request.out_devid
    }

    /// Attaches the device to an IOAS or a HWPT (replacing any current attachment)
    /// and returns the ID of the HWPT actually attached (auto-created for an IOAS).
    ///
    /// The corresponding ioctl is `VFIO_DEVICE_ATTACH_IOMMUFD_PT`.
    public func attachIOMMUFDPT(_ ptID: UInt32) throws(VFIOError) -> UInt32 {
        var request = vfio_device_attach_iommufd_pt()
        request.argsz = UInt32(MemoryLayout<vfio_device_attach_iommufd_pt>.size)
        request.pt_id = ptID
        _ = try Syscall.ioctl(descriptor, VFIO_DEVICE_ATTACH_IOMMUFD_PT_REQUEST, &request)
            .get(.deviceAttachIOMMUFDPT, path: name)
        return request.pt_id
    }

    /// Detaches the device from its page table; DMA is blocked afterwards.
    ///
    /// The corresponding ioctl is `VFIO_DEVICE_DETACH_IOMMUFD_PT`.
    public func detachIOMMUFDPT() throws(VFIOError) {
        var request = vfio_device_detach_iommufd_pt()
        request.argsz = UInt32(MemoryLayout<vfio_device_detach_iommufd_pt>.size)
        _ = try Syscall.ioctl(descriptor, VFIO_DEVICE_DETACH_IOMMUFD_PT_REQUEST, &request)
            .get(.deviceDetachIOMMUFDPT, path: name)
    }
}
