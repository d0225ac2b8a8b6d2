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
        var info = stat()
        guard lstat(paths.state, &info) == 0 else {
            if errno == ENOENT { return }
            throw ClaimError(.permission, code: "state-directory", "cannot inspect the state directory \(paths.state): "
                                 + "\(Errno(rawValue: errno))", path: paths.state, errno: Errno(rawValue: errno))
        }
        let kind = info.st_mode & S_IFMT
        let mode = "0" + String(info.st_mode & 0o7777, radix: 8)
        let problem: String? =
            if kind == S_IFLNK { "is a symbolic link" }
            else if kind != S_IFDIR { "is not a directory" }
            else if info.st_uid != 0, info.st_uid != geteuid() { "is owned by uid \(info.st_uid), not by root" }
            else if info.st_mode & 0o022 != 0 { "is writable by its group or by others (mode \(mode))" }
            else { nil }
        guard let problem else { return }
        throw ClaimError(.permission, code: "state-directory-unsafe",
                         "the state directory \(paths.state) \(problem): another user could steer vfioadm's journals; "
                             + "vfioadm refuses to use it (fix: remove it and let vfioadm create it 0700, or pass "
                             + "--state-dir)", path: paths.state)
    }
}
