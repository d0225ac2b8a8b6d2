/// The root that the host's paths are spelled under: `/` on a live host, or
/// the top of a tree captured from another host (`--sysfs-root`) or built by
/// a test. Device nodes may live under a root of their own (`--dev-root`),
/// the same one unless told. The one owner of the host path spellings: the
/// top folders here, the files under them in extensions by area.
public struct HostRoot: Sendable, Hashable {
    private let root: RootDirectory
    private let devRoot: RootDirectory

    /// Sysfs, procfs, `/lib/modules` and `/run` under `path`; device nodes
    /// under `dev`, or under `path` too when it is nil.
    public init(_ path: String = "/", dev: String? = nil) {
        root = RootDirectory(path)
        devRoot = RootDirectory(dev ?? path)
    }

    /// Absolute or relative path of the root, without a trailing slash (except `/`).
    public var path: String { root.path }

    func join(_ relative: String) -> String { root.join(relative) }

    /// `/sys`
    public var sys: String { join("sys") }
    /// `/proc`
    public var proc: String { join("proc") }
    /// `/dev`, under the root of the device nodes.
    public var dev: String { devRoot.join("dev") }
    /// `/run`
    public var run: String { join("run") }
    /// `/lib/modules`
    public var libModules: String { join("lib/modules") }

    /// An absolute path of the host (a mount's backing file, a swap file) under this root.
    public func hostPath(_ absolute: String) -> String { join(String(absolute.drop { $0 == "/" })) }
}
