#if canImport(Glibc)
import Glibc
#endif
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
        let names: [String]
        switch FileSystem.list(paths.claims) {
        case .success(let list): names = list.filter { $0.hasSuffix(".conf") }
        case .failure(let errno) where errno.rawValue == ENOENT: return []
        case .failure(let errno):
            throw ClaimError(errno.rawValue == EACCES ? .permission : .failed, code: "config-read",
                             "cannot read the config directory \(paths.claims): \(errno)", path: paths.claims,
                             errno: errno)
        }
        var entries: [PersistentClaim] = []
        for name in names {
            let path = paths.claims + "/" + name
            let text: String
            switch FileSystem.readText(path, limit: 1 << 20) {
            case .success(let value): text = value
            case .failure(let errno):
                throw ClaimError(errno.rawValue == EACCES ? .permission : .failed, code: "config-read",
                                 "cannot read \(path): \(errno)", path: path, errno: errno)
            }
            let entry: PersistentClaim
            do { entry = try PersistentClaim.parse(text, file: path) } catch {
                throw ClaimError(.usage, code: "config-invalid", error.description, path: path)
            }
            guard entry.name + ".conf" == name else {
                throw ClaimError(.usage, code: "config-invalid",
                                 "\(path): the file must be named after its first device, \(entry.name).conf", path: path)
            }
            entries.append(entry)
        }
        return entries
    }

    /// Writes an entry durably, replacing one for the same group.
    ///
    /// The corresponding file is `CONFIG/claims/NAME.conf`.
    public func save(_ entry: PersistentClaim) throws(ClaimError) {
        try DurableFile.check(DurableFile.makeDirectory(paths.claims), code: "config-write")
        try DurableFile.check(DurableFile.write(Array(entry.text.utf8), to: paths.claim(entry.name), mode: 0o644),
                              code: "config-write")
    }

    /// Forgets the entry that lists `address`, if any; returns its name.
    public func remove(listing address: PCIAddress) throws(ClaimError) -> String? {
        guard let entry = try entries().first(where: { $0.members.contains { $0.address == address } }) else { return nil }
        try DurableFile.check(DurableFile.remove(paths.claim(entry.name)), code: "config-write")
        return entry.name
    }
}
