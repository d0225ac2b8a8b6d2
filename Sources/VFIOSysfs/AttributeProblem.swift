import LinuxSystem

/// A sysfs file that could not be read, kept with the device or group it
/// belongs to: reported, never fatal.
public struct AttributeProblem: Hashable, Sendable, Codable, Error, CustomStringConvertible {
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

    /// The symbolic errno name (`ENOENT`), for messages and JSON.
    public var errnoName: String { errno.name }

    enum CodingKeys: String, CodingKey { case path, errno, errnoName, reason }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decode(String.self, forKey: .path)
        errno = Errno(rawValue: try container.decode(Int32.self, forKey: .errno))
        reason = try container.decode(String.self, forKey: .reason)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(errno.rawValue, forKey: .errno)
        try container.encode(errnoName, forKey: .errnoName)
        try container.encode(reason, forKey: .reason)
    }
}
