import Glibc
import LinuxSystem
import VFIOSysfs

/// A device opened in one of the four modes, with one interface over them:
/// list IOVA ranges, map, unmap. Holds every descriptor it opened; they close
/// when the session goes.
public final class DMASession {
    /// How the device reaches its IOMMU context: each case holds all of its
    /// parts, so a session cannot be half of one and half of the other.
    public enum Backend: Sendable {
        /// The group-based modes: the group node, the container it is attached to
        /// (`/dev/vfio/vfio`, or `/dev/iommu` in `iommufd-compat`) and the IOMMU type set on it.
        case container(group: VFIOGroup, container: VFIOContainer, type: VFIOExtension)
        /// `iommufd`: the iommufd, the device's object ID in it, the IOAS it is
        /// attached to and the HWPT the kernel attached.
        case iommufd(IOMMUFD, deviceID: UInt32, ioas: UInt32, hwpt: UInt32)
    }

    public let mode: Mode
    public let address: PCIAddress
    public let device: VFIODevice
    public let backend: Backend
    /// Mappings made through this session and not yet unmapped, by IOVA.
    public var mappings: [DMAMapping] { made.all }
    /// `mappings` as runs: mapping a buffer in steps costs a few comparisons
    /// per call, whatever the number of mappings.
    @exclusivity(unchecked) private var made = MappingRuns()  // only this class's methods touch it

    private init(mode: Mode, address: PCIAddress, device: VFIODevice, backend: Backend) {
        self.mode = mode
        self.address = address
        self.device = device
        self.backend = backend
    }

    /// The node the map and unmap calls go to: the container, or the iommufd.
    public var dmaNode: String {
        switch backend {
        case .container(_, let container, _): container.path
        case .iommufd(let iommufd, _, _, _): iommufd.path
        }
    }

    /// The map call of this backend: `VFIO_IOMMU_MAP_DMA` or `IOMMU_IOAS_MAP`.
    public var mapOperation: VFIOOperation {
        if case .container = backend { .iommuMapDMA } else { .ioasMap }
    }

    /// The unmap call of this backend: `VFIO_IOMMU_UNMAP_DMA` or `IOMMU_IOAS_UNMAP`.
    public var unmapOperation: VFIOOperation {
        if case .container = backend { .iommuUnmapDMA } else { .ioasUnmap }
    }

    /// Opens `address` in `mode`.
    /// - group-based modes: open `/dev/vfio/N` (N from sysfs `iommu_group`),
    ///   refuse a group that is not viable, attach a container (`/dev/vfio/vfio`,
    ///   or `/dev/iommu` for `iommufd-compat`), set the IOMMU type, get the device fd;
    /// - `iommufd`: find and check the cdev, open `/dev/iommu`, bind, allocate an
    ///   IOAS and attach the device to it.
    public static func open(_ address: PCIAddress, mode: Mode, root: HostRoot = HostRoot()) throws(VFIOError)
        -> DMASession
    {
        switch mode {
        case .type1, .type1v2, .iommufdCompat:
            return try openThroughGroup(address, mode: mode, root: root)
        case .iommufd:
            return try openThroughCdev(address, root: root)
        }
    }

    /// The device's IOMMU group, from its sysfs `iommu_group` link.
    ///
    /// The corresponding file is `/sys/bus/pci/devices/BDF/iommu_group`.
    public static func groupID(of address: PCIAddress, root: HostRoot = HostRoot()) throws(VFIOError)
        -> IOMMUGroupID
    {
        let link = root.device(address) + "/iommu_group"
        switch FileSystem.linkName(link) {
        case .failure(let errno):
            throw VFIOError(.open, path: link, errno: errno,
                            reason: errno.rawValue == ENOENT ? "\(address) has no IOMMU group" : nil)
        case .success(let name):
            guard let id = IOMMUGroupID(name) else {
                throw VFIOError(.open, path: link, errno: Errno(rawValue: EINVAL), reason: "links to \"\(name)\"")
            }
            return id
        }
    }

    private static func openThroughGroup(_ address: PCIAddress, mode: Mode, root: HostRoot)
        throws(VFIOError) -> DMASession
    {
        let id = try groupID(of: address, root: root)
        let path = root.groupNode(id)
        let noIOMMUPath = root.groupNode(id, noIOMMU: true)
        if !FileSystem.exists(path), FileSystem.exists(noIOMMUPath) {
            throw VFIOError(.open, path: noIOMMUPath, errno: Errno(rawValue: EOPNOTSUPP),
                            reason: "group \(id) is a no-IOMMU group: nothing translates its DMA, so mode "
                                + "\(mode) cannot map memory for it")
        }
        let group = try VFIOGroup(path: path)
        let status = try group.status()
        guard status.contains(.viable) else {
            throw VFIOError(.groupGetStatus, path: path, errno: Errno(rawValue: EPERM),
                            reason: "group \(id) is not viable: a device in it is bound to a kernel driver "
                                + "that uses DMA, or another user owns it")
        }
        let container = try mode == .iommufdCompat ? VFIOContainer(path: root.iommu) : VFIOContainer(root: root)
        try group.setContainer(descriptor: container.descriptor)
        let type = try container.setIOMMU(mode.containerType)
        let device = try group.openDevice(address)
        return DMASession(mode: mode, address: address, device: device,
                          backend: .container(group: group, container: container, type: type))
    }

    private static func openThroughCdev(_ address: PCIAddress, root: HostRoot) throws(VFIOError)
        -> DMASession
    {
        guard let cdev = try DeviceCdev.locate(address, root: root) else {
            throw VFIOError(.open, path: DeviceCdev.vfioDevDirectory(address, root: root),
                            errno: Errno(rawValue: ENODEV),
                            reason: "no vfioX/dev entry: \(address) is not bound to vfio-pci, or the kernel has "
                                + "no VFIO device cdevs (CONFIG_VFIO_DEVICE_CDEV)")
        }
        let iommufd = try IOMMUFD(root: root)
        let device = try VFIODevice(cdev: cdev.path)
        let deviceID = try device.bindIOMMUFD(iommufd)
        let ioas = try iommufd.ioasAlloc()
        let hwpt = try device.attachIOMMUFDPT(ioas)
        return DMASession(mode: .iommufd, address: address, device: device,
                          backend: .iommufd(iommufd, deviceID: deviceID, ioas: ioas, hwpt: hwpt))
    }

    // MARK: The common interface

    /// The IOVA ranges the device may use now.
    ///
    /// The corresponding ioctl is `VFIO_IOMMU_GET_INFO` (group-based modes) or
    /// `IOMMU_IOAS_IOVA_RANGES` (`iommufd`).
    public func iovaRanges() throws(VFIOError) -> [IOVARange] {
        try describe(includeHardware: false).iovaRanges
    }

    /// Ranges, page sizes, alignment, DMA entries left and (iommufd) the IOMMU hardware.
    ///
    /// The corresponding ioctls are `VFIO_IOMMU_GET_INFO`, or `IOMMU_IOAS_IOVA_RANGES`
    /// and `IOMMU_GET_HW_INFO`.
    public func describe(includeHardware: Bool = true) throws(VFIOError) -> DMASpaceDescription {
        switch backend {
        case .container(_, let container, let type):
            let info = try container.info()
            return DMASpaceDescription(mode: mode, iommuType: type, iovaRanges: info.iovaRanges ?? [],
                                       pageSizes: info.pageSizes, alignment: info.minimumPageSize,
                                       dmaAvailable: info.dmaAvailable, hardware: nil, problems: info.problems)
        case .iommufd(let iommufd, let deviceID, let ioas, _):
            let ranges = try iommufd.ioasIOVARanges(ioas)
            let hardware = includeHardware ? try iommufd.hardwareInfo(device: deviceID) : nil
            return DMASpaceDescription(mode: mode, iommuType: nil, iovaRanges: ranges.ranges, pageSizes: nil,
                                       alignment: ranges.alignment, dmaAvailable: nil, hardware: hardware,
                                       problems: [])
        }
    }

    /// Maps `length` bytes at process `address` for the device, readable and
    /// writeable. With no `iova`, iommufd picks one; the group-based modes take
    /// the first free, aligned place in the IOVA ranges. Returns the IOVA.
    ///
    /// The corresponding ioctl is `VFIO_IOMMU_MAP_DMA` or `IOMMU_IOAS_MAP`.
    @discardableResult
    public func map(address: UInt64, length: UInt64, iova: UInt64? = nil) throws(VFIOError) -> UInt64 {
        let placed: UInt64
        switch backend {
        case .container(_, let container, _):
            let chosen: UInt64
            if let iova {
                chosen = iova
            } else {
                let info = try container.info()
                guard let found = IOVAPlacement.firstFit(
                    length: length, in: info.iovaRanges ?? [], avoiding: made.ranges,
                    pageSizes: info.pageSizes ?? 4096)
                else {
                    throw VFIOError(.iommuMapDMA, path: container.path, errno: Errno(rawValue: ENOSPC),
                                    reason: "no free, aligned IOVA range of \(length) bytes")
                }
                chosen = found
            }
            try container.mapDMA(vaddr: address, iova: chosen, size: length)
            placed = chosen
        case .iommufd(let iommufd, _, let ioas, _):
            placed = try iommufd.ioasMap(ioas, userAddress: address, length: length, iova: iova)
        }
        made.insert(DMAMapping(iova: placed, length: length, address: address))
        return placed
    }

    /// Maps a whole buffer; see `map(address:length:iova:)`.
    @discardableResult
    public func map(_ buffer: DMABuffer, iova: UInt64? = nil) throws(VFIOError) -> UInt64 {
        try map(address: buffer.address, length: UInt64(buffer.length), iova: iova)
    }

    /// Unmaps `[iova, iova + length)`; returns the bytes the kernel unmapped.
    ///
    /// The corresponding ioctl is `VFIO_IOMMU_UNMAP_DMA` or `IOMMU_IOAS_UNMAP`.
    @discardableResult
    public func unmap(iova: UInt64, length: UInt64) throws(VFIOError) -> UInt64 {
        let unmapped = switch backend {
        case .container(_, let container, _): try container.unmapDMA(iova: iova, size: length)
        case .iommufd(let iommufd, _, let ioas, _): try iommufd.ioasUnmap(ioas, iova: iova, length: length)
        }
        if let removed = IOVARange(start: iova, length: length) {
            made.remove(within: removed)
        }
        return unmapped
    }

    /// Unmaps everything; returns the bytes unmapped.
    ///
    /// The corresponding ioctl is `VFIO_IOMMU_UNMAP_DMA` with the ALL flag, or
    /// `IOMMU_IOAS_UNMAP` of the whole space.
    @discardableResult
    public func unmapAll() throws(VFIOError) -> UInt64 {
        let unmapped = switch backend {
        case .container(_, let container, _): try container.unmapAllDMA()
        case .iommufd(let iommufd, _, let ioas, _): try iommufd.ioasUnmapAll(ioas)
        }
        made.removeAll()
        return unmapped
    }

    /// Asks the kernel whether the page at `iova` of a mapping this session made
    /// is mapped: a one-page map there must fail with EEXIST. Neither type1 nor
    /// iommufd lists mappings, so this is the check. Returns false (after undoing
    /// the probe) when the kernel accepted the map.
    ///
    /// The corresponding ioctl is `VFIO_IOMMU_MAP_DMA` or `IOMMU_IOAS_MAP` with a fixed IOVA.
    public func kernelHasMapping(at iova: UInt64) throws(VFIOError) -> Bool {
        guard let mapping = made.mapping(holding: iova) else {
            throw VFIOError(mapOperation, path: dmaNode, errno: Errno(rawValue: ENOENT),
                            reason: "no mapping of this session covers the IOVA")
        }
        let page = UInt64(max(4096, sysconf(Int32(_SC_PAGESIZE))))
        let start = iova & ~(page - 1)
        let address = mapping.address + (start - mapping.iova)
        do {
            switch backend {
            case .container(_, let container, _):
                try container.mapDMA(vaddr: address, iova: start, size: page)
                try container.unmapDMA(iova: start, size: page)
            case .iommufd(let iommufd, _, let ioas, _):
                try iommufd.ioasMap(ioas, userAddress: address, length: page, iova: start)
                try iommufd.ioasUnmap(ioas, iova: start, length: page)
            }
            return false
        } catch where error.errno.rawValue == EEXIST {
            return true
        }
    }
}
