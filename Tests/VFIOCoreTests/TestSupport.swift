import Foundation
@testable import VFIOCore

/// A scratch directory tree for sysfs, /dev and /proc fixtures, removed on deinit.
final class TempTree {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vfiocore-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    func directory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    func file(_ relative: String, _ text: String) throws {
        try directory((relative as NSString).deletingLastPathComponent)
        try text.write(toFile: path(relative), atomically: false, encoding: .utf8)
    }

    func file(_ relative: String, bytes: [UInt8]) throws {
        try directory((relative as NSString).deletingLastPathComponent)
        try Data(bytes).write(to: URL(fileURLWithPath: path(relative)))
    }

    /// A symbolic link at `relative` whose stored target is `target`, verbatim.
    func link(_ relative: String, to target: String) throws {
        try directory((relative as NSString).deletingLastPathComponent)
        try FileManager.default.createSymbolicLink(atPath: path(relative), withDestinationPath: target)
    }
}

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
