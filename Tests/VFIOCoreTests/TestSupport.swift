import Foundation
@testable import VFIOCore

/// A little-endian byte buffer built field by field, for hand-made kernel replies.
struct Reply {
    var bytes: [UInt8]

    init(size: Int) {
        bytes = [UInt8](repeating: 0, count: size)
    }

    mutating func u16(_ offset: Int, _ value: UInt16) { bytes.store(value, at: offset) }
    mutating func u32(_ offset: Int, _ value: UInt32) { bytes.store(value, at: offset) }
    mutating func u64(_ offset: Int, _ value: UInt64) { bytes.store(value, at: offset) }

    /// A capability header at `offset`.
    mutating func header(_ offset: Int, id: UInt16, version: UInt16 = 1, next: UInt32) {
        u16(offset, id)
        u16(offset + 2, version)
        u32(offset + 4, next)
    }
}
