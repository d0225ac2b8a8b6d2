import Foundation

/// A scratch directory tree for sysfs, /dev and /proc fixtures, removed on deinit.
public final class TempTree {
    public let root: String

    public init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vfiocore-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    public func path(_ relative: String) -> String { root + "/" + relative }

    public func directory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    public func file(_ relative: String, _ text: String) throws {
        try directory((relative as NSString).deletingLastPathComponent)
        try text.write(toFile: path(relative), atomically: false, encoding: .utf8)
    }

    public func file(_ relative: String, bytes: [UInt8]) throws {
        try directory((relative as NSString).deletingLastPathComponent)
        try Data(bytes).write(to: URL(fileURLWithPath: path(relative)))
    }

    /// A symbolic link at `relative` whose stored target is `target`, verbatim.
    public func link(_ relative: String, to target: String) throws {
        try directory((relative as NSString).deletingLastPathComponent)
        try FileManager.default.createSymbolicLink(atPath: path(relative), withDestinationPath: target)
    }
}
