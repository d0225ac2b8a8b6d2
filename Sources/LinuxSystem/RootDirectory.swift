/// A directory that absolute kernel paths are read under: `/` on a live host,
/// another directory for a captured tree or a test. `HostRoot` joins its
/// paths through it.
public struct RootDirectory: Sendable, Hashable {
    /// Path of the root, without a trailing slash (except `/`).
    public let path: String

    public init(_ path: String = "/") {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.path = trimmed.isEmpty ? "/" : trimmed
    }

    /// `relative` (no leading slash) under the root.
    public func join(_ relative: String) -> String {
        path == "/" ? "/" + relative : path + "/" + relative
    }
}
