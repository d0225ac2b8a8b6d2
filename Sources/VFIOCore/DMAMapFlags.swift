import CVFIO

/// Access the device gets to a type1 DMA mapping (`vfio_iommu_type1_dma_map.flags`).
/// Frozen and inlinable: a map call's default `[...]` folds to a constant at
/// the caller instead of calling two lazily initialised globals per mapping.
@frozen
public struct DMAMapFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32

    @inlinable
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The device may read the memory.
    @inlinable public static var read: DMAMapFlags { DMAMapFlags(rawValue: CVFIO_DMA_MAP_FLAG_READ) }
    /// The device may write the memory.
    @inlinable public static var write: DMAMapFlags { DMAMapFlags(rawValue: CVFIO_DMA_MAP_FLAG_WRITE) }
    /// Update the process address of an existing mapping (not on iommufd's compat container).
    @inlinable public static var vaddr: DMAMapFlags { DMAMapFlags(rawValue: CVFIO_DMA_MAP_FLAG_VADDR) }
}
