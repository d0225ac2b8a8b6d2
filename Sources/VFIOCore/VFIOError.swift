import LinuxSystem

/// A failed call: which one, on which node, and the errno it returned.
///
/// Renders as `VFIO_GROUP_SET_CONTAINER on /dev/vfio/12: Operation not
/// permitted (EPERM)`. When the failure was found by VFIOCore rather than
/// returned by the kernel (a reply that does not parse, a device node that is
/// not the one sysfs names), `reason` replaces the C library's text and
/// `errno` is the closest code.
public struct VFIOError: Error, Hashable, Sendable, CustomStringConvertible {
    public let operation: VFIOOperation
    /// The node the call was made on (`/dev/vfio/12`), or the device name for a
    /// device opened through its group (`0000:00:03.0`).
    public let path: String
    public let errno: Errno
    public let reason: String?

    public init(_ operation: VFIOOperation, path: String, errno: Errno, reason: String? = nil) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.reason = reason
    }

    public var description: String {
        "\(operation) on \(path): \(reason ?? errno.message) (\(errno.name))"
    }
}

extension Result where Failure == Errno {
    /// Lifts the errno layer into the public error, naming the call and the node.
    /// `path` is evaluated only on failure: map and unmap run this hundreds of thousands of times.
    @inline(__always)
    func get(_ operation: VFIOOperation, path: @autoclosure () -> String) throws(VFIOError) -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let errno): throw VFIOError(operation, path: path(), errno: errno)
        }
    }
}
