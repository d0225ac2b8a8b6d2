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
