import CVFIO

/// The flags of `struct vfio_region_info`.
public struct RegionFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let read = RegionFlags(rawValue: CVFIO_REGION_INFO_FLAG_READ)
    public static let write = RegionFlags(rawValue: CVFIO_REGION_INFO_FLAG_WRITE)
    /// The region (or its sparse areas) can be mmap'ed.
    public static let mmap = RegionFlags(rawValue: CVFIO_REGION_INFO_FLAG_MMAP)
    /// The reply carries a capability chain.
    public static let caps = RegionFlags(rawValue: CVFIO_REGION_INFO_FLAG_CAPS)
}

/// A vfio-pci region index: BAR0–5 (0–5), ROM 6, config space 7, VGA 8.
public struct RegionIndex: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// BAR `number` (0–5).
    public static func bar(_ number: UInt32) -> RegionIndex { RegionIndex(rawValue: number) }

    public static let rom = RegionIndex(rawValue: CVFIO_PCI_ROM_REGION_INDEX)
    public static let config = RegionIndex(rawValue: CVFIO_PCI_CONFIG_REGION_INDEX)
    public static let vga = RegionIndex(rawValue: CVFIO_PCI_VGA_REGION_INDEX)

    public var description: String {
        switch rawValue {
        case 0..<CVFIO_PCI_ROM_REGION_INDEX: "BAR\(rawValue)"
        case CVFIO_PCI_ROM_REGION_INDEX: "ROM"
        case CVFIO_PCI_CONFIG_REGION_INDEX: "config"
        case CVFIO_PCI_VGA_REGION_INDEX: "VGA"
        default: "region \(rawValue)"
        }
    }
}

/// One mmap-able part of a region (`struct vfio_region_sparse_mmap_area`);
/// offsets are relative to the region.
public struct SparseMmapArea: Hashable, Sendable {
    public let offset: UInt64
    public let size: UInt64
}

/// The TYPE capability of a device-specific region (`struct vfio_region_info_cap_type`).
public struct RegionType: Hashable, Sendable {
    public let type: UInt32
    public let subtype: UInt32
}

/// A device region: its size, where it sits in the device fd, and what may be done with it.
/// The corresponding ioctl is `VFIO_DEVICE_GET_REGION_INFO`.
public struct RegionInfo: Hashable, Sendable {
    public let index: RegionIndex
    public let flags: RegionFlags
    /// 0 means the region is absent.
    public let size: UInt64
    /// Where the region starts in the device fd, for pread, pwrite and mmap.
    /// Always use this value: vfio-pci reports `index << 40`, but not every driver does.
    public let offset: UInt64
    /// The SPARSE_MMAP capability's areas: only these may be mmap'ed. nil when absent.
    public let sparseAreas: [SparseMmapArea]?
    /// The TYPE capability (device-specific regions): type and subtype.
    public let type: RegionType?
    /// The MSIX_MAPPABLE capability: the MSI-X table may be mmap'ed with the rest.
    public let msixMappable: Bool
    public let capabilities: [VFIOCapability]
    public let problems: [String]

    /// Decodes a reply buffer that starts with `struct vfio_region_info`.
    public init(decoding buffer: [UInt8]) {
        let infoSize = MemoryLayout<vfio_region_info>.size
        var problems: [String] = []
        if buffer.count < infoSize {
            problems.append("reply is \(buffer.count) bytes, shorter than the \(infoSize)-byte region info")
        }
        index = RegionIndex(rawValue: buffer.load(UInt32.self, at: fieldOffset(\vfio_region_info.index)) ?? 0)
        let flags = RegionFlags(rawValue: buffer.load(UInt32.self, at: fieldOffset(\vfio_region_info.flags)) ?? 0)
        self.flags = flags
        size = buffer.load(UInt64.self, at: fieldOffset(\vfio_region_info.size)) ?? 0
        offset = buffer.load(UInt64.self, at: fieldOffset(\vfio_region_info.offset)) ?? 0

        let capOffset = flags.contains(.caps)
            ? buffer.load(UInt32.self, at: fieldOffset(\vfio_region_info.cap_offset)) ?? 0 : 0
        let chain = CapabilityChain(buffer: buffer, firstOffset: capOffset, infoSize: infoSize)
        if let problem = chain.problem { problems.append(problem) }
        capabilities = chain.capabilities

        if let cap = chain.first(CVFIO_REGION_INFO_CAP_SPARSE_MMAP) {
            sparseAreas = Self.decodeAreas(cap, problems: &problems)
        } else {
            sparseAreas = nil
        }
        if let cap = chain.first(CVFIO_REGION_INFO_CAP_TYPE) {
            if let type = cap.field(UInt32.self, at: fieldOffset(\vfio_region_info_cap_type.type)),
               let subtype = cap.field(UInt32.self, at: fieldOffset(\vfio_region_info_cap_type.subtype))
            {
                self.type = RegionType(type: type, subtype: subtype)
            } else {
                self.type = nil
                problems.append("TYPE capability is too short")
            }
        } else {
            type = nil
        }
        msixMappable = chain.first(CVFIO_REGION_INFO_CAP_MSIX_MAPPABLE) != nil
        self.problems = problems
    }

    private static func decodeAreas(_ cap: VFIOCapability, problems: inout [String]) -> [SparseMmapArea] {
        let headerSize = MemoryLayout<vfio_region_info_cap_sparse_mmap>.size
        let entrySize = MemoryLayout<vfio_region_sparse_mmap_area>.size
        guard let count = cap.field(UInt32.self, at: fieldOffset(\vfio_region_info_cap_sparse_mmap.nr_areas)) else {
            problems.append("SPARSE_MMAP capability is too short")
            return []
        }
        var areas: [SparseMmapArea] = []
        for index in 0..<Int(count) {
            let base = headerSize + index * entrySize
            guard let offset = cap.field(UInt64.self, at: base + fieldOffset(\vfio_region_sparse_mmap_area.offset)),
                  let size = cap.field(UInt64.self, at: base + fieldOffset(\vfio_region_sparse_mmap_area.size))
            else {
                problems.append("SPARSE_MMAP capability claims \(count) areas but holds \(index)")
                break
            }
            areas.append(SparseMmapArea(offset: offset, size: size))
        }
        return areas
    }
}
