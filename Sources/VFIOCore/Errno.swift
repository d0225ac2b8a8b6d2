import Glibc
import VFIOSysfs

/// A C `errno` value, with its symbolic name and the C library's message.
public struct Errno: RawRepresentable, Hashable, Sendable, Error, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The symbolic name, e.g. `EPERM`.
    public var name: String { ErrnoName.of(rawValue) }

    /// The C library's text, e.g. `Operation not permitted`.
    public var message: String { String(cString: strerror(rawValue)) }

    /// `Operation not permitted (EPERM)`.
    public var description: String { "\(message) (\(name))" }
}
