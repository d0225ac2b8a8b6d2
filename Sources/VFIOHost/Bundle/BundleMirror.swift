import Glibc
import LinuxSystem
import VFIOSysfs

/// Copies the paths a `ReadRecorder` saw from a live root into a staging
/// folder with the same layout: every link met on the way is recreated with
/// its own target (rewritten only when it would lead out, see `LinkTarget`),
/// folders are created, read files get their bytes, listed folders get each
/// entry (links as links, files empty, since nothing read them), and paths
/// only checked for get an empty file or folder. What cannot be read is kept
/// with its errno; a path that is not there is left out, as the reader saw it.
public struct BundleMirror {
    /// The live root the paths were read under (`/` on a host).
    public let root: String
    /// The staging folder the bundle is built in.
    public let staging: String
    /// Bytes to write instead of a file's own (the `pci.ids` and `modules.alias` subsets), by recorded path.
    public var replacements: [String: [UInt8]] = [:]

    public private(set) var unreadable: [BundleManifest.Unreadable] = []
    /// The first write into the staging folder that failed, with its errno: the bundle is incomplete.
    public private(set) var writeFailure: (path: String, errno: Errno)?
    public private(set) var rewrittenLinks: [BundleManifest.RewrittenLink] = []

    /// A file larger than this is cut (the largest the readers take is `modules.alias`, 64 MiB).
    static let fileLimit = 64 << 20
    /// Links followed for one path before giving up, as the kernel's `ELOOP`.
    static let linkLimit = 40

    public init(root: String, staging: String) {
        self.root = root == "/" ? "" : root
        self.staging = staging
    }

    /// The path relative to the root, or nil when it lies outside it.
    public func relative(_ path: String) -> [Substring]? {
        guard root.isEmpty || path == root || path.hasPrefix(root + "/") else { return nil }
        return path.dropFirst(root.count).split(separator: "/")
    }

    /// Mirrors one recorded path.
    public mutating func copy(_ path: String, _ kind: ReadKind) {
        guard let components = relative(path),
              let (leaf, leafKind) = resolve(components, followingLast: kind != .link, path: path)
        else { return }
        let host = hostPath(leaf)
        switch (kind, leafKind) {
        case (.contents, .file): copyFile(leaf, replacement: replacements[path])
        case (.listing, .directory): copyEntries(leaf)
        case (.presence, .file), (.listing, .file), (.link, .file): touch(leaf)  // fails as it did live
        case (_, .other): unreadable.append(.init(path: host, errno: nil, reason: "not a folder, file or link"))
        default: break
        }
    }

    /// Keeps the first failed write into the staging folder.
    private mutating func check(_ result: Result<Void, Errno>, _ path: String) {
        if case .failure(let error) = result, writeFailure == nil { writeFailure = (path, error) }
    }

    private func hostPath(_ components: [Substring]) -> String { root + "/" + components.joined(separator: "/") }
    private func stagingPath(_ components: [Substring]) -> String {
        staging + "/" + components.joined(separator: "/")
    }

    /// Walks `components` one at a time as the kernel does, recreating links
    /// and folders; the physical components of the end and what it is.
    private mutating func resolve(_ components: [Substring], followingLast: Bool, path: String)
        -> ([Substring], LocalTree.Kind)?
    {
        var done: [Substring] = []
        var pending = Array(components.reversed())
        var hops = 0
        var kind = LocalTree.Kind.directory
        while let name = pending.popLast() {
            if name == "." { continue }
            if name == ".." {
                if !done.isEmpty { done.removeLast() }
                continue
            }
            guard kind == .directory else { return nil }  // ENOTDIR: the reader failed the same way
            let here = done + [name]
            switch LocalTree.kind(hostPath(here)) {
            case .failure(let error):
                if error.rawValue != ENOENT { unreadable.append(.init(path: hostPath(here), errno: error)) }
                return nil
            case .success(.link):
                guard case .success(let target) = FileSystem.readLink(hostPath(here)) else { return nil }
                copyLink(here, target: target)
                if pending.isEmpty, !followingLast { return (here, .link) }
                hops += 1
                guard hops <= Self.linkLimit else { return nil }
                if target.hasPrefix("/") { done = [] }
                pending += target.split(separator: "/").reversed()
            case .success(.directory):
                check(LocalTree.makeDirectory(stagingPath(here)), stagingPath(here))
                done = here
            case .success(let other):
                done = here
                kind = other
            }
        }
        return (done, kind)
    }

    /// Recreates a link once, with its own target when that stays inside.
    private mutating func copyLink(_ components: [Substring], target: String) {
        guard case .failure = LocalTree.kind(stagingPath(components)) else { return }
        var stored = target
        if !LinkTarget.isContained(target, depth: components.count - 1) {
            guard let contained = LinkTarget.contained(target, folder: Array(components.dropLast())) else { return }
            stored = contained
            rewrittenLinks.append(.init(path: hostPath(components), target: target, stored: stored))
        }
        check(LocalTree.makeLink(stagingPath(components), target: stored), stagingPath(components))
    }

    private mutating func copyFile(_ components: [Substring], replacement: [UInt8]?) {
        let bytes: [UInt8]
        if let replacement {
            bytes = replacement
        } else {
            switch LocalTree.readFile(hostPath(components), limit: Self.fileLimit) {
            case .success(let read): bytes = read
            case .failure(let error):
                unreadable.append(.init(path: hostPath(components), errno: error))
                return
            }
        }
        check(LocalTree.writeFile(stagingPath(components), bytes), stagingPath(components))
    }

    /// An empty file, unless the path is already there.
    private mutating func touch(_ components: [Substring]) {
        guard case .failure = LocalTree.kind(stagingPath(components)) else { return }
        check(LocalTree.writeFile(stagingPath(components), []), stagingPath(components))
    }

    private mutating func copyEntries(_ components: [Substring]) {
        guard case .success(let names) = FileSystem.list(hostPath(components)) else { return }
        for name in names {
            let entry = components + [Substring(name)]
            switch LocalTree.kind(hostPath(entry)) {
            case .success(.link):
                if case .success(let target) = FileSystem.readLink(hostPath(entry)) { copyLink(entry, target: target) }
            case .success(.directory):
                check(LocalTree.makeDirectory(stagingPath(entry)), stagingPath(entry))
            case .success(.file):
                touch(entry)
            default:
                continue
            }
        }
    }
}
