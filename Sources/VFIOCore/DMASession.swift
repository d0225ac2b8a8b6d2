#if canImport(Glibc)
import Glibc
#endif
import VFIOSysfs

/// One DMA mapping a session made.
public struct DMAMapping: Hashable, Sendable {
    public let iova: UInt64
    public let length: UInt64
    /// The process address mapped.
    public let address: UInt64

    public init(iova: UInt64, length: UInt64, address: UInt64) {
        self.iova = iova
        self.length = length
        self.address = address
    }

    public var range: IOVARange? { IOVARange(start: iova, length: length) }
}

/// What a session's IOMMU context reports, for `probe`.
public struct DMASpaceDescription: Hashable, Sendable {
    public let mode: Mode
    /// The type set on the container (group-based modes).
    public let iommuType: VFIOExtension?
    public let iovaRanges: [IOVARange]
    /// Supported IOMMU page sizes (group-based modes).
    public let pageSizes: UInt64?
    /// The alignment a mapping's IOVA and length need.
    public let alignment: UInt64?
    /// Mappings left before `dma_entry_limit` (type1 only; U32_MAX on the compat container).
    public let dmaAvailable: UInt32?
    /// The IOMMU hardware (iommufd mode only).
    public let hardware: HardwareInfo?
    /// Problems decoding the kernel's replies.
    public let problems: [String]

    public init(mode: Mode, iommuType: VFIOExtension?, iovaRanges: [IOVARange], pageSizes: UInt64?,
                alignment: UInt64?, dmaAvailable: UInt32?, hardware: HardwareInfo?, problems: [String])
    {
        self.mode = mode
        self.iommuType = iommuType
        self.iovaRanges = iovaRanges
        self.pageSizes = pageSizes
        self.alignment = alignment
        self.dmaAvailable = dmaAvailable
        self.hardware = hardware
        self.problems = problems
    }
}

/// A device opened in one of the four modes, with one interface over them:
/// list IOVA ranges, map, unmap. Holds every descriptor it opened; they close
/// when the session goes.
public final class DMASession {
    public let mode: Mode
    public let address: PCIAddress
    public let device: VFIODevice
    /// The group node (group-based modes).
    public let group: VFIOGroup?
    /// The container: `/dev/vfio/vfio`, or `/dev/iommu` in `iommufd-compat`.
    public let container: VFIOContainer?
    public let iommuType: VFIOExtension?
    /// The iommufd context (`iommufd` mode).
    public let iommufd: IOMMUFD?
    /// The device's object ID in the iommufd.
    public let deviceID: UInt32?
    /// The IOAS the device is attached to.
    public let ioas: UInt32?
    /// The HWPT the kernel attached.
    public let hwpt: UInt32?
    /// Mappings made through this session and not yet unmapped, by IOVA.
    public var mappings: [DMAMapping] { made.all }
    /// `mappings` as runs: mapping a buffer in steps costs a few comparisons
    /// per call, whatever the number of mappings.
    @exclusivity(unchecked) private var made = MappingRuns()  // only this class's methods touch it

    private init(mode: Mode, address: PCIAddress, device: VFIODevice, group: VFIOGroup?, container: VFIOContainer?,
                 iommuType: VFIOExtension?, iommufd: IOMMUFD?, deviceID: UInt32?, ioas: UInt32?, hwpt: UInt32?)
    {
        self.mode = mode
        self.address = address
        self.device = device
        self.group = group
        self.container = container
        self.iommuType = iommuType
        self.iommufd = iommufd
        self.deviceID = deviceID
        self.ioas = ioas
        self.hwpt = hwpt
    }

    /// Opens `address` in `mode`.
    /// - group-based modes: open `/dev/vfio/N` (N from sysfs `iommu_group`),
    ///   refuse a group that is not viable, attach a container (`/dev/vfio/vfio`,
    ///   or `/dev/iommu` for `iommufd-compat`), set the IOMMU type, get the device fd;
    /// - `iommufd`: find and check the cdev, open `/dev/iommu`, bind, allocate an
    ///   IOAS and attach the device to it.
    public static func open(_ address: PCIAddress, mode: Mode, sysfs: SysfsRoot = SysfsRoot(),
                            dev: DevRoot = DevRoot()) throws(VFIOError) -> DMASession
    {
        switch mode {
        case .type1, .type1v2, .iommufdCompat:
            return try openThroughGroup(address, mode: mode, sysfs: sysfs, dev: dev)
        case .iommufd:
            return try openThroughCdev(address, sysfs: sysfs, dev: dev)
        }
    }

    /// The device's IOMMU group, from its sysfs `iommu_group` link.
    ///
    /// The corresponding file is `/sys/bus/pci/devices/BDF/iommu_group`.
    public static func groupID(of address: PCIAddress, sysfs: SysfsRoot = SysfsRoot()) throws(VFIOError)
        -> IOMMUGroupID
    {
        let link = sysfs.device(address) + "/iommu_group"
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

    private static func openThroughGroup(_ address: PCIAddress, mode: Mode, sysfs: SysfsRoot, dev: DevRoot)
        throws(VFIOError) -> DMASession
    {
        let id = try groupID(of: address, sysfs: sysfs)
        let path = dev.group(id)
        let noIOMMUPath = dev.group(id, noIOMMU: true)
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
        let container = try mode == .iommufdCompat ? VFIOContainer(path: dev.iommu) : VFIOContainer(dev: dev)
        try group.setContainer(descriptor: container.descriptor)
        let type = try container.setIOMMU(mode.containerType)
        let device = try group.openDevice(address)
        return DMASession(mode: mode, address: address, device: device, group: group, container: container,
                          iommuType: type, iommufd: nil, deviceID: nil, ioas: nil, hwpt: nil)
    }

    private static func openThroughCdev(_ address: PCIAddress, sysfs: SysfsRoot, dev: DevRoot) throws(VFIOError)
        -> DMASession
    {
        guard let cdev = try DeviceCdev.locate(address, sysfs: sysfs, dev: dev) else {
            throw VFIOError(.open, path: DeviceCdev.vfioDevDirectory(address, sysfs: sysfs),
                            errno: Errno(rawValue: ENODEV),
                            reason: "no vfioX/dev entry: \(address) is not bound to vfio-pci, or the kernel has "
                                + "no VFIO device cdevs (CONFIG_VFIO_DEVICE_CDEV)")
        }
        let iommufd = try IOMMUFD(dev: dev)
        let device = try VFIODevice(cdev: cdev.path)
        let deviceID = try device.bindIOMMUFD(iommufd)
        let ioas = try iommufd.ioasAlloc()
        let hwpt = try device.attachIOMMUFDPT(ioas)
        return DMASession(mode: .iommufd, address: address, device: device, group: nil, container: nil,
                          iommuType: nil, iommufd: iommufd, deviceID: deviceID, ioas: ioas, hwpt: hwpt)
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
        if let container {
            let info = try container.info()
            return DMASpaceDescription(mode: mode, iommuType: iommuType, iovaRanges: info.iovaRanges ?? [],
                                       pageSizes: info.pageSizes, alignment: info.minimumPageSize,
                                       dmaAvailable: info.dmaAvailable, hardware: nil, problems: info.problems)
        }
        let (iommufd, ioas) = try iommufdContext()
        let ranges = try iommufd.ioasIOVARanges(ioas)
        var hardware: HardwareInfo?
        if includeHardware, let deviceID {
            hardware = try iommufd.hardwareInfo(device: deviceID)
        }
        return DMASpaceDescription(mode: mode, iommuType: nil, iovaRanges: ranges.ranges, pageSizes: nil,
                                   alignment: ranges.alignment, dmaAvailable: nil, hardware: hardware, problems: [])
    }

    /// Maps `length` bytes at process `address` for the device, readable and
    /// writeable. With no `iova`, iommufd picks one; the group-based modes take
    /// the first free, aligned place in the IOVA ranges. Returns the IOVA.
    ///
    /// The corresponding ioctl is `VFIO_IOMMU_MAP_DMA` or `IOMMU_IOAS_MAP`.
    @discardableResult
    public func map(address: UInt64, length: UInt64, iova: UInt64? = nil) throws(VFIOError) -> UInt64 {
        let placed: UInt64
        if let container {
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
        } else {
            let (iommufd, ioas) = try iommufdContext()
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
        let unmapped: UInt64
        if let container {
            unmapped = try container.unmapDMA(iova: iova, size: length)
        } else {
            let (iommufd, ioas) = try iommufdContext()
            unmapped = try iommufd.ioasUnmap(ioas, iova: iova, length: length)
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
        let unmapped: UInt64
        if let container {
            unmapped = try container.unmapAllDMA()
        } else {
            let (iommufd, ioas) = try iommufdContext()
            unmapped = try iommufd.ioasUnmapAll(ioas)
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
            throw VFIOError(container == nil ? .ioasMap : .iommuMapDMA, path: container?.path ?? iommufd?.path ?? "",
                            errno: Errno(rawValue: ENOENT), reason: "no mapping of this session covers the IOVA")
        }
        let page = UInt64(max(4096, sysconf(Int32(_SC_PAGESIZE))))
        let start = iova & ~(page - 1)
        let address = mapping.address + (start - mapping.iova)
        do {
            if let container {
                try container.mapDMA(vaddr: address, iova: start, size: page)
                try container.unmapDMA(iova: start, size: page)
            } else {
                let (iommufd, ioas) = try iommufdContext()
                try iommufd.ioasMap(ioas, userAddress: address, length: page, iova: start)
                try iommufd.ioasUnmap(ioas, iova: start, length: page)
            }
            return false
        } catch where error.errno.rawValue == EEXIST {
            return true
        }
    }

    @inline(__always)
    private func iommufdContext() throws(VFIOError) -> (IOMMUFD, UInt32) {
        guard let iommufd, let ioas else {
            throw VFIOError(.ioasMap, path: device.name, errno: Errno(rawValue: EBADF), reason: "no iommufd context")
        }
        return (iommufd, ioas)
    }
}

/// Picks IOVAs for the group-based modes, where the caller must choose.
enum IOVAPlacement {
    /// The lowest IOVA inside one of `ranges`, outside every range in `used`,
    /// aligned to the largest supported page size not above `length` (so huge
    /// IOPTEs can be used), where `length` bytes fit.
    static func firstFit(length: UInt64, in ranges: [IOVARange], avoiding used: [IOVARange], pageSizes: UInt64)
        -> UInt64?
    {
        guard length > 0 else { return nil }
        var alignment: UInt64 = pageSizes == 0 ? 4096 : pageSizes & (~pageSizes &+ 1)
        for shift in stride(from: 63, through: 0, by: -1) {
            let size = UInt64(1) << UInt64(shift)
            if pageSizes & size != 0, size <= length {
                alignment = max(alignment, size)
                break
            }
        }
        let taken = used.sorted { $0.start < $1.start }
        for range in ranges.sorted(by: { $0.start < $1.start }) {
            var candidate = align(range.start, to: alignment)
            while let start = candidate, let wanted = IOVARange(start: start, length: length), range.contains(wanted) {
                guard let clash = taken.first(where: { $0.overlaps(wanted) }) else { return start }
                candidate = clash.last == UInt64.max ? nil : align(clash.last + 1, to: alignment)
            }
        }
        return nil
    }

    private static func align(_ value: UInt64, to alignment: UInt64) -> UInt64? {
        let (sum, overflow) = value.addingReportingOverflow(alignment - 1)
        return overflow ? nil : sum & ~(alignment - 1)
    }
}
