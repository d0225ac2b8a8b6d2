import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The persistent claims under the config directory, one `claims/NAME.conf`
/// per group, each written durably and validated on every read.
public struct ClaimConfig: Sendable {
    let paths: HostPaths

    public init(paths: HostPaths) {
        self.paths = paths
    }

    /// Every entry, by file name; a file that does not parse is a usage error
    /// (exit 64) naming the file and the line.
    ///
    /// The corresponding files are `CONFIG/claims/*.conf`.
    public func entries() throws(ClaimError) -> [PersistentClaim] {
        try parsed(in: paths.claims, namedAfter: "its first device", \.name) { text, path throws(PersistentClaim.ParseError) in
            try PersistentClaim.parse(text, file: path)
        }
    }

    /// Every persistent VF count, validated as the claims are.
    ///
    /// The corresponding files are `CONFIG/sriov/*.conf`.
    public func vfCounts() throws(ClaimError) -> [PersistentVFs] {
        try parsed(in: paths.sriovEntries, namedAfter: "its PF", \.name) { text, path throws(PersistentClaim.ParseError) in
            try PersistentVFs.parse(text, file: path)
        }
    }

    /// The entries of a directory, each parsed and checked to be in the file named after it.
    private func parsed<Entry>(in directory: String, namedAfter what: String, _ name: (Entry) -> String,
                               _ parse: (String, String) throws(PersistentClaim.ParseError) -> Entry)
        throws(ClaimError) -> [Entry]
    {
        var entries: [Entry] = []
        for (path, file, text) in try files(in: directory) {
            let entry: Entry
            do { entry = try parse(text, path) } catch {
                throw ClaimError(.usage, code: "config-invalid", error.description, path: path)
            }
            guard name(entry) + ".conf" == file else {
                throw ClaimError(.usage, code: "config-invalid",
                                 "\(path): the file must be named after \(what), \(name(entry)).conf", path: path)
            }
            entries.append(entry)
        }
        return entries
    }

    /// Writes a VF count durably.
    public func save(_ entry: PersistentVFs) throws(ClaimError) {
        try FileSystem.makeDirectories(paths.sriovEntries, mode: 0o755).claimed(code: "config-write")
        try FileSystem.replace(paths.sriovEntry(entry.name), with: Array(entry.text.utf8), mode: 0o644)
            .claimed(code: "config-write")
    }

    /// Forgets the VF count of `pf`, if any.
    public func removeVFCount(_ pf: PCIAddress) throws(ClaimError) {
        try FileSystem.removeDurably(paths.sriovEntry(pf.description)).claimed(code: "config-write")
    }

    /// The `.conf` files of a directory with their text; none when it does not exist.
    private func files(in directory: String) throws(ClaimError) -> [(path: String, name: String, text: String)] {
        let names: [String]
        switch FileSystem.list(directory) {
        case .success(let list): names = list.filter { $0.hasSuffix(".conf") }
        case .failure(let errno) where errno.rawValue == ENOENT: return []
        case .failure(let errno):
            throw ClaimError(errno.rawValue == EACCES ? .permission : .failed, code: "config-read",
                             "cannot read the config directory \(directory): \(errno)", path: directory, errno: errno)
        }
        var files: [(String, String, String)] = []
        for name in names {
            let path = directory + "/" + name
            switch FileSystem.readText(path, limit: 1 << 20, followingLinks: false) {
            case .success(let text): files.append((path, name, text))
            case .failure(let errno):
                throw ClaimError(errno.rawValue == EACCES ? .permission : .failed, code: "config-read",
                                 "cannot read \(path): \(errno)", path: path, errno: errno)
            }
        }
        return files
    }

    /// Writes an entry durably, replacing one for the same group; returns false,
    /// writing nothing, when the file already holds this very entry.
    ///
    /// The corresponding file is `CONFIG/claims/NAME.conf`.
    @discardableResult
    public func save(_ entry: PersistentClaim) throws(ClaimError) -> Bool {
        let path = paths.claim(entry.name)
        if case .success(let text) = FileSystem.readText(path, limit: 1 << 20, followingLinks: false),
           (try? PersistentClaim.parse(text, file: path)) == entry
        { return false }
        try FileSystem.makeDirectories(paths.claims, mode: 0o755).claimed(code: "config-write")
        try FileSystem.replace(paths.claim(entry.name), with: Array(entry.text.utf8), mode: 0o644)
            .claimed(code: "config-write")
        return true
    }

    /// Forgets the entry that lists `address`, if any; returns its name.
    public func remove(listing address: PCIAddress) throws(ClaimError) -> String? {
        guard let entry = try entries().first(where: { $0.members.contains { $0.address == address } }) else { return nil }
        try FileSystem.removeDurably(paths.claim(entry.name)).claimed(code: "config-write")
        return entry.name
    }
}
