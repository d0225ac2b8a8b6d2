import Glibc

/// A C `errno` value, with its symbolic name and the C library's message.
public struct Errno: RawRepresentable, Hashable, Sendable, Error, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// This thread's `errno`, read right after a failed call.
    static var current: Errno { Errno(rawValue: Glibc.errno) }

    /// The symbolic name, e.g. `EPERM`.
    public var name: String {
        switch rawValue {
        case EPERM: "EPERM"
        case ENOENT: "ENOENT"
        case EINTR: "EINTR"
        case EIO: "EIO"
        case EBADF: "EBADF"
        case EAGAIN: "EAGAIN"
        case ENOMEM: "ENOMEM"
        case EACCES: "EACCES"
        case EFAULT: "EFAULT"
        case EBUSY: "EBUSY"
        case EEXIST: "EEXIST"
        case ENODEV: "ENODEV"
        case ENOTDIR: "ENOTDIR"
        case EISDIR: "EISDIR"
        case EINVAL: "EINVAL"
        case ENOSPC: "ENOSPC"
        case ENOTTY: "ENOTTY"
        case E2BIG: "E2BIG"
        case ELOOP: "ELOOP"
        case ENAMETOOLONG: "ENAMETOOLONG"
        case EOPNOTSUPP: "EOPNOTSUPP"
        case EADDRINUSE: "EADDRINUSE"
        case EMSGSIZE: "EMSGSIZE"
        case EOVERFLOW: "EOVERFLOW"
        case EBADFD: "EBADFD"
        case EROFS: "EROFS"
        default: "errno \(rawValue)"
        }
    }

    /// The C library's text, e.g. `Operation not permitted`.
    public var message: String { String(cString: strerror(rawValue)) }

    /// `Operation not permitted (EPERM)`.
    public var description: String { "\(message) (\(name))" }
}
