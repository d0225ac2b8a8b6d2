import CVFIO

/// What a type1 container reports about its IOMMU: page sizes and the
/// capability chain (usable IOVA ranges, DMA mappings left, migration page sizes).
/// The corresponding ioctl is `VFIO_IOMMU_GET_INFO`.
public struct IOMMUInfo: Hashable, Sendable {
    /// `flags` of `struct vfio_iommu_type1_info` (PGSIZES 1, CAPS 2).
    public let flags: UInt32
    /// Bitmap of supported IOMMU page sizes; nil when the PGSIZES flag is clear.
    public let pageSizes: UInt64?
    /// Usable IOVA ranges; nil when the kernel sent no IOVA_RANGE capability.
    public let iovaRanges: [IOVARange]?
    /// Mappings left before `dma_entry_limit`; nil without a DMA_AVAIL capability.
    public let dmaAvailable: UInt32?
    /// The MIGRATION capability (type1 only, not iommufd's compat container).
    public let migration: Migration?
    /// Every capability as received, known or not.
    public let capabilities: [VFIOCapability]
    /// What did not parse: a broken chain, a capability shorter than its contents.
    public let problems: [String]

    /// The MIGRATION capability (`struct vfio_iommu_type1_info_cap_migration`).
    public struct Migration: Hashable, Sendable {
        public let flags: UInt32
        /// Page sizes dirty tracking supports.
        public let pageSizes: UInt64
        /// Largest dirty bitmap the kernel returns, in bytes.
        public let maxDirtyBitmapSize: UInt64
    }

    /// The smallest supported page size: the alignment map and unmap need.
    public var minimumPageSize: UInt64? {
        guard let pageSizes, pageSizes != 0 else { return nil }
        return pageSizes & (~pageSizes &+ 1)
    }

    /// Decodes a reply buffer that starts with `struct vfio_iommu_type1_info`.
    public init(decoding buffer: [UInt8]) {
        let infoSize = MemoryLayout<vfio_iommu_type1_info>.size
        var problems: [String] = []
        let flags = buffer.load(UInt32.self, at: fieldOffset(\vfio_iommu_type1_info.flags)) ?? 0
        self.flags = flags
        pageSizes = flags & CVFIO_IOMMU_INFO_PGSIZES != 0
            ? buffer.load(UInt64.self, at: fieldOffset(\vfio_iommu_type1_info.iova_pgsizes)) : nil
        if buffer.count < infoSize { problems.append("reply is \(buffer.count) bytes, shorter than the \(infoSize)-byte info struct") }

        let capOffset = flags & CVFIO_IOMMU_INFO_CAPS != 0
            ? buffer.load(UInt32.self, at: fieldOffset(\vfio_iommu_type1_info.cap_offset)) ?? 0 : 0
        let chain = CapabilityChain(buffer: buffer, firstOffset: capOffset, infoSize: infoSize)
        if let problem = chain.problem { problems.append(problem) }
        capabilities = chain.capabilities

        if let cap = chain.first(CVFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
            iovaRanges = Self.decodeRanges(cap, problems: &problems)
        } else {
            iovaRanges = nil
        }
        if let cap = chain.first(CVFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
            dmaAvailable = cap.field(UInt32.self, at: fieldOffset(\vfio_iommu_type1_info_dma_avail.avail))
            if dmaAvailable == nil { problems.append("DMA_AVAIL capability is too short") }
        } else {
            dmaAvailable = nil
        }
        if let cap = chain.first(CVFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION) {
            if let flags = cap.field(UInt32.self, at: fieldOffset(\vfio_iommu_type1_info_cap_migration.flags)),
               let sizes = cap.field(UInt64.self, at: fieldOffset(\vfio_iommu_type1_info_cap_migration.pgsize_bitmap)),
               let maximum = cap.field(
                   UInt64.self, at: fieldOffset(\vfio_iommu_type1_info_cap_migration.max_dirty_bitmap_size))
            {
                migration = Migration(flags: flags, pageSizes: sizes, maxDirtyBitmapSize: maximum)
            } else {
                migration = nil
                problems.append("MIGRATION capability is too short")
            }
        } else {
            migration = nil
        }
        self.problems = problems
    }

    private static func decodeRanges(_ cap: VFIOCapability, problems: inout [String]) -> [IOVARange] {
        let headerSize = MemoryLayout<vfio_iommu_type1_info_cap_iova_range>.size
        let entrySize = MemoryLayout<vfio_iova_range>.size
        guard let count = cap.field(UInt32.self, at: fieldOffset(\vfio_iommu_type1_info_cap_iova_range.nr_iovas)) else {
            problems.append("IOVA_RANGE capability is too short")
            return []
        }
        var ranges: [IOVARange] = []
        for index in 0..<Int(count) {
            let base = headerSize + index * entrySize
            guard let start = cap.field(UInt64.self, at: base + fieldOffset(\vfio_iova_range.start)),
                  let end = cap.field(UInt64.self, at: base + fieldOffset(\vfio_iova_range.end))
            else {
                problems.append("IOVA_RANGE capability claims \(count) ranges but holds \(index)")
                break
            }
            guard let range = IOVARange(start: start, last: end) else {
                problems.append("IOVA range \(index) ends before it starts")
                continue
            }
            ranges.append(range)
        }
        return ranges
    }
}
