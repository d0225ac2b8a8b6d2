import Glibc
import LinuxSystem
import VFIOSysfs

/// A failure the CLI reports and maps to an exit status, in text or JSON.
public struct CommandFailure: Error, Sendable, Encodable {
    public let status: ExitStatus
    /// A stable, machine-readable kind, e.g. `no-such-device`.
    public let code: String
    public let message: String
    public let path: String?
    public let errno: Errno?

    public init(_ status: ExitStatus, code: String, _ message: String, path: String? = nil, errno: Errno? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.path = path
        self.errno = errno
    }

    static func usage(_ code: String, _ message: String) -> CommandFailure {
        CommandFailure(.usage, code: code, message)
    }

    /// A sysfs read that failed outright; EACCES/EPERM map to the permission status.
    static func sysfs(_ problem: AttributeProblem) -> CommandFailure {
        let status: ExitStatus = problem.errno.rawValue == EACCES || problem.errno.rawValue == EPERM ? .permission : .failure
        return CommandFailure(status, code: "sysfs-read", "cannot read \(problem.path): \(problem.reason) "
            + "(\(problem.errnoName))", path: problem.path, errno: problem.errno)
    }

    enum CodingKeys: String, CodingKey { case code, message, exitStatus, path, errno, errnoName }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encode(status.rawValue, forKey: .exitStatus)
        try container.encodeIfPresent(path, forKey: .path)
        try container.encodeIfPresent(errno?.rawValue, forKey: .errno)
        try container.encodeIfPresent(errno?.name, forKey: .errnoName)
    }
}
