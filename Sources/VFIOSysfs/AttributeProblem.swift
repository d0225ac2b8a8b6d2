import LinuxSystem

/// A sysfs file that could not be read, kept with the device or group it
/// belongs to: reported, never fatal.
public struct AttributeProblem: Hashable, Sendable, Error, CustomStringConvertible {
    /// The full path that failed.
    public let path: String
    /// The errno the kernel (or the parser) gave.
    public let errno: Errno
    /// What went wrong, e.g. `No such file or directory` or `not a hex number: "zz"`.
    public let reason: String

    public init(path: String, errno: Errno, reason: String? = nil) {
        self.path = path
        self.errno = errno
        self.reason = reason ?? errno.message
    }

    public var description: String { "\(path): \(reason)" }

    /// The symbolic errno name (`ENOENT`), for messages.
    public var errnoName: String { errno.name }
}
