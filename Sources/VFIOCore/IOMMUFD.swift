import Glibc
import CVFIO
import LinuxSystem

/// An iommufd context, `/dev/iommu`: IOAS objects with their mappings, devices
/// bound from their cdevs, hardware info. It also answers the legacy container
/// ioctls (use `VFIOContainer(path:)` on `/dev/iommu` for that). Closed when
/// the last reference goes, which destroys every object in it.
public final class IOMMUFD: Sendable {
    let fd: FileDescriptor

    /// The node it was opened from.
    public var path: String { fd.path }
    /// The descriptor number, valid while this object lives.
    public var descriptor: Int32 { fd.rawValue }

    /// Opens a new iommufd context.
    ///
    /// The corresponding system call is `open(2)` of `/dev/iommu`.
    public init(path: String) throws(VFIOError) {
        fd = try FileDescriptor.open(path)
    }

    /// Opens `/dev/iommu` under `root`.
    public convenience init(root: HostRoot = HostRoot()) throws(VFIOError) {
        try self.init(path: root.iommu)
    }

    /// Destroys an object (IOAS, HWPT, ...); EBUSY while something uses it.
    ///
    /// The corresponding ioctl is `IOMMU_DESTROY`.
    public func destroy(_ id: UInt32) throws(VFIOError) {
        var request = iommu_destroy()
        request.size = UInt32(MemoryLayout<iommu_destroy>.size)
        request.id = id
        _ = try Syscall.ioctl(descriptor, IOMMU_DESTROY_REQUEST, &request).get(.iommuDestroy, path: path)
    }

    /// Allocates an empty I/O address space and returns its ID.
    ///
    /// The corresponding ioctl is `IOMMU_IOAS_ALLOC`.
    public func ioasAlloc() throws(VFIOError) -> UInt32 {
        var request = iommu_ioas_alloc()
        request.size = UInt32(MemoryLayout<iommu_ioas_alloc>.size)
        _ = try Syscall.ioctl(descriptor, IOMMU_IOAS_ALLOC_REQUEST, &request).get(.ioasAlloc, path: path)
        return request.out_ioas_id
    }

    /// The IOAS's usable IOVA ranges (they change with every attach and detach)
    /// and the alignment its mappings need. Grows the buffer while the kernel
    /// answers EMSGSIZE.
    ///
    /// The corresponding ioctl is `IOMMU_IOAS_IOVA_RANGES`.
    public func ioasIOVARanges(_ ioas: UInt32) throws(VFIOError) -> IOASRanges {
        let fd = descriptor
        return try Self.fetchRanges(ioas: ioas) { request in
            Syscall.ioctl(fd, IOMMU_IOAS_IOVA_RANGES_REQUEST, &request)
        }.get(.ioasIOVARanges, path: path)
    }

    /// The EMSGSIZE loop of `IOMMU_IOAS_IOVA_RANGES`, over any call (the test seam).
    /// `call` gets the request with `allowed_iovas` pointing at room for `num_iovas` ranges.
    static func fetchRanges(ioas: UInt32, call: (inout iommu_ioas_iova_ranges) -> Result<Int32, Errno>)
        -> Result<IOASRanges, Errno>
    {
        var capacity = 8
        for _ in 0..<4 {
            var ranges = [iommu_iova_range](repeating: iommu_iova_range(), count: capacity)
            var request = iommu_ioas_iova_ranges()
            request.size = UInt32(MemoryLayout<iommu_ioas_iova_ranges>.size)
            request.ioas_id = ioas
            request.num_iovas = UInt32(capacity)
            let result = ranges.withUnsafeMutableBufferPointer { buffer -> Result<Int32, Errno> in
                request.allowed_iovas = UInt64(UInt(bitPattern: buffer.baseAddress))
                return call(&request)
            }
            switch result {
            case .failure(let errno) where errno.rawValue == EMSGSIZE:
                let wanted = Int(request.num_iovas)
                guard wanted > capacity, wanted <= 1 << 16 else { return .failure(errno) }
                capacity = wanted
            case .failure(let errno):
                return .failure(errno)
            case .success:
                let count = min(Int(request.num_iovas), capacity)
                let decoded = ranges[0..<count].compactMap { IOVARange(start: $0.start, last: $0.last) }
                return .success(IOASRanges(ranges: decoded, alignment: request.out_iova_alignment))
            }
        }
        return .failure(Errno(rawValue: EMSGSIZE))
    }

    /// Restricts where the kernel may place IOVAs it picks to these ranges
    /// (replacing the previous list; an empty list allows everything again).
    ///
    /// The corresponding ioctl is `IOMMU_IOAS_ALLOW_IOVAS`.
    public func allowIOVAs(_ ioas: UInt32, _ ranges: [IOVARange]) throws(VFIOError) {
        var entries = ranges.map { range -> iommu_iova_range in
            var entry = iommu_iova_range()
            entry.start = range.start
            entry.last = range.last
            return entry
        }
        var request = iommu_ioas_allow_iovas()
        request.size = UInt32(MemoryLayout<iommu_ioas_allow_iovas>.size)
        request.ioas_id = ioas
        request.num_iovas = UInt32(entries.count)
        let fd = descriptor
        _ = try entries.withUnsafeMutableBufferPointer { buffer -> Result<Int32, Errno> in
            request.allowed_iovas = UInt64(UInt(bitPattern: buffer.baseAddress))
            return Syscall.ioctl(fd, IOMMU_IOAS_ALLOW_IOVAS_REQUEST, &request)
        }.get(.ioasAllowIOVAs, path: path)
    }

    /// Maps `length` bytes at process address `userAddress` into the IOAS, at
    /// `iova` when given, else where the kernel chooses. Returns the IOVA used.
    ///
    /// The corresponding ioctl is `IOMMU_IOAS_MAP`.
    @discardableResult
    public func ioasMap(_ ioas: UInt32, userAddress: UInt64, length: UInt64, iova: UInt64? = nil,
                        access: IOASMapFlags = [.readable, .writeable]) throws(VFIOError) -> UInt64
    {
        var request = iommu_ioas_map()
        request.size = UInt32(MemoryLayout<iommu_ioas_map>.size)
        request.flags = access.subtracting(.fixedIOVA).union(iova == nil ? [] : .fixedIOVA).rawValue
        request.ioas_id = ioas
        request.user_va = userAddress
        request.length = length
        request.iova = iova ?? 0
        _ = try Syscall.ioctl(descriptor, IOMMU_IOAS_MAP_REQUEST, &request).get(.ioasMap, path: path)
        return request.iova
    }

    /// Unmaps whole mappings covering `[iova, iova + length)`; returns the bytes unmapped.
    ///
    /// The corresponding ioctl is `IOMMU_IOAS_UNMAP`.
    @discardableResult
    public func ioasUnmap(_ ioas: UInt32, iova: UInt64, length: UInt64) throws(VFIOError) -> UInt64 {
        var request = iommu_ioas_unmap()
        request.size = UInt32(MemoryLayout<iommu_ioas_unmap>.size)
        request.ioas_id = ioas
        request.iova = iova
        request.length = length
        _ = try Syscall.ioctl(descriptor, IOMMU_IOAS_UNMAP_REQUEST, &request).get(.ioasUnmap, path: path)
        return request.length
    }

    /// Unmaps everything in the IOAS (iova 0, length 2^64 - 1); succeeds when empty too.
    ///
    /// The corresponding ioctl is `IOMMU_IOAS_UNMAP`.
    @discardableResult
    public func ioasUnmapAll(_ ioas: UInt32) throws(VFIOError) -> UInt64 {
        try ioasUnmap(ioas, iova: 0, length: UInt64.max)
    }

    /// Reads an option; `object` is 0 for global options, the IOAS for per-IOAS ones.
    ///
    /// The corresponding ioctl is `IOMMU_OPTION` with `IOMMU_OPTION_OP_GET`.
    public func option(_ option: IOMMUOption, object: UInt32 = 0) throws(VFIOError) -> UInt64 {
        try call(option, op: CVFIO_IOMMU_OPTION_OP_GET, object: object, value: 0)
    }

    /// Sets an option; `object` is 0 for global options, the IOAS for per-IOAS ones.
    ///
    /// The corresponding ioctl is `IOMMU_OPTION` with `IOMMU_OPTION_OP_SET`.
    public func setOption(_ option: IOMMUOption, object: UInt32 = 0, to value: UInt64) throws(VFIOError) {
        _ = try call(option, op: CVFIO_IOMMU_OPTION_OP_SET, object: object, value: value)
    }

    private func call(_ option: IOMMUOption, op: UInt16, object: UInt32, value: UInt64) throws(VFIOError) -> UInt64 {
        var request = iommu_option()
        request.size = UInt32(MemoryLayout<iommu_option>.size)
        request.option_id = option.rawValue
        request.op = op
        request.object_id = object
        request.val64 = value
        _ = try Syscall.ioctl(descriptor, IOMMU_OPTION_REQUEST, &request).get(.iommuOption, path: path)
        return request.val64
    }

    /// The IOAS the legacy container ioctls use on this context (created by
    /// `VFIO_GROUP_SET_CONTAINER` with this iommufd). ENODEV when there is none.
    ///
    /// The corresponding ioctl is `IOMMU_VFIO_IOAS` with `IOMMU_VFIO_IOAS_GET`.
    public func compatIOAS() throws(VFIOError) -> UInt32 {
        var request = iommu_vfio_ioas()
        request.size = UInt32(MemoryLayout<iommu_vfio_ioas>.size)
        request.op = CVFIO_IOMMU_VFIO_IOAS_GET
        _ = try Syscall.ioctl(descriptor, IOMMU_VFIO_IOAS_REQUEST, &request).get(.vfioIOAS, path: path)
        return request.ioas_id
    }

    /// What the IOMMU behind a bound device is and can do.
    ///
    /// The corresponding ioctl is `IOMMU_GET_HW_INFO`.
    public func hardwareInfo(device devID: UInt32) throws(VFIOError) -> HardwareInfo {
        let fd = descriptor
        return try Self.fetchHardwareInfo(device: devID) { request in
            Syscall.ioctl(fd, IOMMU_GET_HW_INFO_REQUEST, &request)
        }.get(.getHWInfo, path: path)
    }

    /// The data-length loop of `IOMMU_GET_HW_INFO`, over any call (the test seam):
    /// the kernel writes back its own `data_len`, so a short buffer is grown once.
    static func fetchHardwareInfo(device devID: UInt32, call: (inout iommu_hw_info) -> Result<Int32, Errno>)
        -> Result<HardwareInfo, Errno>
    {
        var capacity = 64
        for _ in 0..<3 {
            var data = [UInt8](repeating: 0, count: capacity)
            var request = iommu_hw_info()
            request.size = UInt32(MemoryLayout<iommu_hw_info>.size)
            request.dev_id = devID
            request.data_len = UInt32(capacity)
            let result = data.withUnsafeMutableBytes { buffer -> Result<Int32, Errno> in
                request.data_uptr = UInt64(UInt(bitPattern: buffer.baseAddress))
                return call(&request)
            }
            if case .failure(let errno) = result { return .failure(errno) }
            let length = Int(request.data_len)
            if length > capacity, length <= 1 << 16 {
                capacity = length
                continue
            }
            return .success(HardwareInfo(
                dataType: request.out_data_type, data: Array(data.prefix(length)),
                capabilities: HardwareCapabilities(rawValue: request.out_capabilities),
                maxPASIDLog2: request.out_max_pasid_log2))
        }
        return .failure(Errno(rawValue: EMSGSIZE))
    }
}
