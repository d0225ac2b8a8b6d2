/// One entry of a VFIO capability chain (`struct vfio_info_cap_header` and its payload).
public struct VFIOCapability: Hashable, Sendable {
    public let id: UInt16
    public let version: UInt16
    /// Where the header starts, in bytes from the start of the info buffer.
    public let offset: Int
    /// The entry's bytes, header included: up to the next entry, or to the end of the buffer.
    public let bytes: [UInt8]

    /// A payload field, `offset` bytes from the start of the header; nil when the entry is too short.
    public func field<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T? {
        bytes.load(type, at: offset)
    }
}

/// The capability chain of a VFIO INFO reply, walked defensively: the walk
/// stops at the first entry that does not fit in the buffer, that points back
/// into the info struct, or that points backwards (a loop), and says why.
public struct CapabilityChain: Hashable, Sendable {
    public let capabilities: [VFIOCapability]
    /// Why the walk stopped before a `next` of 0, or nil.
    public let problem: String?

    /// Size of `struct vfio_info_cap_header`.
    static let headerSize = 8

    /// Walks the chain in `buffer` that starts at `firstOffset` (the reply's
    /// `cap_offset`; 0 means no chain). `infoSize` is the size of the info struct
    /// the chain follows: no entry may start inside it.
    public init(buffer: [UInt8], firstOffset: UInt32, infoSize: Int) {
        var capabilities: [VFIOCapability] = []
        var problem: String?
        var offset = Int(firstOffset)
        while offset != 0 {
            guard offset >= infoSize else {
                problem = "capability offset \(offset) points inside the \(infoSize)-byte info struct"
                break
            }
            guard offset <= buffer.count - Self.headerSize,
                  let id = buffer.load(UInt16.self, at: offset),
                  let version = buffer.load(UInt16.self, at: offset + 2),
                  let next = buffer.load(UInt32.self, at: offset + 4)
            else {
                problem = "capability at offset \(offset) runs past the end of the \(buffer.count)-byte reply"
                break
            }
            let nextOffset = Int(next)
            let end = nextOffset > offset && nextOffset <= buffer.count ? nextOffset : buffer.count
            capabilities.append(VFIOCapability(id: id, version: version, offset: offset,
                                               bytes: Array(buffer[offset..<end])))
            if nextOffset != 0, nextOffset <= offset {
                problem = "capability at offset \(offset) points back to offset \(nextOffset)"
                break
            }
            offset = nextOffset
        }
        self.capabilities = capabilities
        self.problem = problem
    }

    /// The first entry with this ID.
    public func first(_ id: UInt16) -> VFIOCapability? {
        capabilities.first { $0.id == id }
    }
}
