/// The name of the call that failed, as the kernel documentation spells it:
/// an ioctl (`VFIO_GROUP_SET_CONTAINER`) or a system call (`open`, `pread`).
public struct VFIOOperation: RawRepresentable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) {
        rawValue = value
    }

    public var description: String { rawValue }
}

extension VFIOOperation {
    public static let open: VFIOOperation = "open"
    public static let stat: VFIOOperation = "stat"
    public static let pread: VFIOOperation = "pread"
    public static let pwrite: VFIOOperation = "pwrite"
    public static let mmap: VFIOOperation = "mmap"

    public static let getAPIVersion: VFIOOperation = "VFIO_GET_API_VERSION"
    public static let checkExtension: VFIOOperation = "VFIO_CHECK_EXTENSION"
    public static let setIOMMU: VFIOOperation = "VFIO_SET_IOMMU"
    public static let groupGetStatus: VFIOOperation = "VFIO_GROUP_GET_STATUS"
    public static let groupSetContainer: VFIOOperation = "VFIO_GROUP_SET_CONTAINER"
    public static let groupUnsetContainer: VFIOOperation = "VFIO_GROUP_UNSET_CONTAINER"
    public static let groupGetDeviceFD: VFIOOperation = "VFIO_GROUP_GET_DEVICE_FD"
    public static let deviceGetInfo: VFIOOperation = "VFIO_DEVICE_GET_INFO"
    public static let deviceGetRegionInfo: VFIOOperation = "VFIO_DEVICE_GET_REGION_INFO"
    public static let deviceGetIRQInfo: VFIOOperation = "VFIO_DEVICE_GET_IRQ_INFO"
    public static let deviceReset: VFIOOperation = "VFIO_DEVICE_RESET"
    public static let iommuGetInfo: VFIOOperation = "VFIO_IOMMU_GET_INFO"
    public static let iommuMapDMA: VFIOOperation = "VFIO_IOMMU_MAP_DMA"
    public static let iommuUnmapDMA: VFIOOperation = "VFIO_IOMMU_UNMAP_DMA"
    public static let deviceBindIOMMUFD: VFIOOperation = "VFIO_DEVICE_BIND_IOMMUFD"
    public static let deviceAttachIOMMUFDPT: VFIOOperation = "VFIO_DEVICE_ATTACH_IOMMUFD_PT"
    public static let deviceDetachIOMMUFDPT: VFIOOperation = "VFIO_DEVICE_DETACH_IOMMUFD_PT"

    public static let iommuDestroy: VFIOOperation = "IOMMU_DESTROY"
    public static let ioasAlloc: VFIOOperation = "IOMMU_IOAS_ALLOC"
    public static let ioasAllowIOVAs: VFIOOperation = "IOMMU_IOAS_ALLOW_IOVAS"
    public static let ioasIOVARanges: VFIOOperation = "IOMMU_IOAS_IOVA_RANGES"
    public static let ioasMap: VFIOOperation = "IOMMU_IOAS_MAP"
    public static let ioasUnmap: VFIOOperation = "IOMMU_IOAS_UNMAP"
    public static let iommuOption: VFIOOperation = "IOMMU_OPTION"
    public static let vfioIOAS: VFIOOperation = "IOMMU_VFIO_IOAS"
    public static let getHWInfo: VFIOOperation = "IOMMU_GET_HW_INFO"

    /// Whether this call maps memory for DMA (ENOMEM there means the memlock limit).
    public var isMap: Bool { self == .iommuMapDMA || self == .ioasMap }

    /// Whether this call claims the group's DMA ownership from the kernel.
    public var claimsDMAOwnership: Bool {
        self == .groupSetContainer || self == .deviceBindIOMMUFD || self == .groupGetDeviceFD
    }
}
