import Glibc
import LinuxSystem
import VFIOCore

/// The state directory holds the journals that say what to undo, so whoever
/// can write it can steer a root process's sysfs writes. vfioadm uses it only
/// when it is a real directory (not a symbolic link), owned by root (or by the
/// user vfioadm runs as, for tests), and writable by nobody else.
enum StateDirectory {
    /// Refuses (exit 77) a state directory another user could steer; a missing one is fine.
    ///
    /// The corresponding call is `lstat(2)` of the directory.
    static func verify(_ paths: HostPaths) throws(ClaimError) {
        let info: FileStatus
        switch FileStatus.of(paths.state, followingLinks: false) {
        case .success(let status): info = status
        case .failure(let errno) where errno.rawValue == ENOENT: return
        case .failure(let errno):
            throw ClaimError(.permission, code: "state-directory", "cannot inspect the state directory \(paths.state): "
                                 + "\(errno)", path: paths.state, errno: errno)
        }
        let mode = "0" + String(info.mode, radix: 8)
        let problem: String? =
            if info.kind == .symbolicLink { "is a symbolic link" }
            else if info.kind != .directory { "is not a directory" }
            else if info.uid != 0, info.uid != geteuid() { "is owned by uid \(info.uid), not by root" }
            else if info.mode & 0o022 != 0 { "is writable by its group or by others (mode \(mode))" }
            else { nil }
        guard let problem else { return }
        throw ClaimError(.permission, code: "state-directory-unsafe",
                         "the state directory \(paths.state) \(problem): another user could steer vfioadm's journals; "
                             + "vfioadm refuses to use it (fix: remove it and let vfioadm create it 0700, or pass "
                             + "--state-dir)", path: paths.state)
    }
}
