import Glibc
import CVFIO
import LinuxSystem

/// A legacy VFIO container: `/dev/vfio/vfio`, or `/dev/iommu` used as one (the
/// iommufd compat route). Groups join it with `VFIOGroup.setContainer`; it
/// holds their IOMMU context and DMA mappings. Closed when the last reference goes.
public final class VFIOContainer: Sendable {
    let fd: FileDescriptor

    /// The node it was opened from.
    public var path: String { fd.path }
    /// The descriptor number, valid while this object lives.
    public var descriptor: Int32 { fd.rawValue }

    /// Opens a new container. Each open is a new, empty context.
    ///
    /// The corresponding system call is `open(2)` of `/dev/vfio/vfio`.
    public init(path: String) throws(VFIOError) {
        fd = try FileDescriptor.open(path)
    }

    /// Opens `/dev/vfio/vfio` under `root`.
    public convenience init(root: HostRoot = HostRoot()) throws(VFIOError) {
        try self.init(path: root.container)
    }

    /// The VFIO API version; 0 on every kernel so far.
    ///
    /// The corresponding ioctl is `VFIO_GET_API_VERSION`.
    public func apiVersion() throws(VFIOError) -> Int32 {
        try Syscall.ioctl(descriptor, VFIO_GET_API_VERSION_REQUEST).get(.getAPIVersion, path: path)
    }

    /// Whether the container supports an extension or IOMMU type. Before an IOMMU
    /// is set, every loaded backend is asked.
    ///
    /// The corresponding ioctl is `VFIO_CHECK_EXTENSION`.
    public func checkExtension(_ ext: VFIOExtension) throws(VFIOError) -> Bool {
        try Syscall.ioctl(descriptor, VFIO_CHECK_EXTENSION_REQUEST, value: UInt(ext.rawValue))
            .get(.checkExtension, path: path) > 0
    }

    /// The extensions, of the known ones, this container supports now.
    public func supportedExtensions() throws(VFIOError) -> [VFIOExtension] {
        var supported: [VFIOExtension] = []
        for ext in VFIOExtension.known where try checkExtension(ext) {
            supported.append(ext)
        }
        return supported
    }

    /// The IOMMU type `setIOMMU()` would choose: type1v2, else type1, else no-IOMMU.
    public func bestIOMMUType() throws(VFIOError) -> VFIOExtension? {
        for candidate in [VFIOExtension.type1v2, .type1, .noIOMMU] where try checkExtension(candidate) {
            return candidate
        }
        return nil
    }

    /// Sets the IOMMU backend; needs a group attached first. With no type given,
    /// chooses the best available (`bestIOMMUType()`). Returns the type set.
    ///
    /// The corresponding ioctl is `VFIO_SET_IOMMU`.
    @discardableResult
    public func setIOMMU(_ type: VFIOExtension? = nil) throws(VFIOError) -> VFIOExtension {
        let best = type == nil ? try bestIOMMUType() : nil
        guard let chosen = type ?? best else {
            throw VFIOError(.setIOMMU, path: path, errno: Errno(rawValue: ENODEV),
                            reason: "no type1, type1v2 or no-IOMMU backend is available")
        }
        _ = try Syscall.ioctl(descriptor, VFIO_SET_IOMMU_REQUEST, value: UInt(chosen.rawValue))
            .get(.setIOMMU, path: path)
        return chosen
    }

    /// The IOMMU's page sizes and capability chain, asking twice when the chain
    /// does not fit the first buffer.
    ///
    /// The corresponding ioctl is `VFIO_IOMMU_GET_INFO`.
    public func info() throws(VFIOError) -> IOMMUInfo {
        let fd = descriptor
        let buffer = try ArgszQuery.fetch(
            initialSize: MemoryLayout<vfio_iommu_type1_info>.size,
            call: { Syscall.ioctl(fd, VFIO_IOMMU_GET_INFO_REQUEST, pointer: $0.baseAddress) }
        ).get(.iommuGetInfo, path: path)
        return IOMMUInfo(decoding: buffer)
    }

    /// Maps `size` bytes at process address `vaddr` to `iova` for every device in the container.
    ///
    /// The corresponding ioctl is `VFIO_IOMMU_MAP_DMA`.
    public func mapDMA(vaddr: UInt64, iova: UInt64, size: UInt64, flags: DMAMapFlags = [.read, .write])
        throws(VFIOError)
    {
        var request = vfio_iommu_type1_dma_map()
        request.argsz = UInt32(MemoryLayout<vfio_iommu_type1_dma_map>.size)
        request.flags = flags.rawValue
        request.vaddr = vaddr
        request.iova = iova
        request.size = size
        _ = try Syscall.ioctl(descriptor, VFIO_IOMMU_MAP_DMA_REQUEST, &request).get(.iommuMapDMA, path: path)
    }

    /// Unmaps `[iova, iova + size)`; returns the bytes the kernel unmapped.
    ///
    /// The corresponding ioctl is `VFIO_IOMMU_UNMAP_DMA`.
    @discardableResult
    public func unmapDMA(iova: UInt64, size: UInt64) throws(VFIOError) -> UInt64 {
        try unmap(iova: iova, size: size, flags: 0)
    }

    /// Unmaps every mapping (needs the UNMAP_ALL extension); returns the bytes unmapped.
    ///
    /// The corresponding ioctl is `VFIO_IOMMU_UNMAP_DMA` with `VFIO_DMA_UNMAP_FLAG_ALL`.
    @discardableResult
    public func unmapAllDMA() throws(VFIOError) -> UInt64 {
        try unmap(iova: 0, size: 0, flags: CVFIO_DMA_UNMAP_FLAG_ALL)
    }

    private func unmap(iova: UInt64, size: UInt64, flags: UInt32) throws(VFIOError) -> UInt64 {
        var request = vfio_iommu_type1_dma_unmap()
        request.argsz = UInt32(MemoryLayout<vfio_iommu_type1_dma_unmap>.size)
        request.flags = flags
        request.iova = iova
        request.size = size
        _ = try Syscall.ioctl(descriptor, VFIO_IOMMU_UNMAP_DMA_REQUEST, &request).get(.iommuUnmapDMA, path: path)
        return request.size
    }
}
