import CVFIO

/// Access the device gets to a type1 DMA mapping (`vfio_iommu_type1_dma_map.flags`).
public struct DMAMapFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The device may read the memory.
    public static let read = DMAMapFlags(rawValue: CVFIO_DMA_MAP_FLAG_READ)
    /// The device may write the memory.
    public static let write = DMAMapFlags(rawValue: CVFIO_DMA_MAP_FLAG_WRITE)
    /// Update the process address of an existing mapping (not on iommufd's compat container).
    public static let vaddr = DMAMapFlags(rawValue: CVFIO_DMA_MAP_FLAG_VADDR)
}
