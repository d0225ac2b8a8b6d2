import LinuxSystem
import VFIOCore

/// Why a claim, release or status could not be carried out. `kind` decides the
/// exit status; the message names the device, the file and the errno.
public struct ClaimError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A driver, user or state directory given on the command line that is not usable.
        case usage
        /// No IOMMU, or the VFIO driver is not available.
        case unavailable
        /// Not root, or a file that needs more privilege.
        case permission
        /// The group cannot be given to userspace at all (firmware direct region, bridge on a DMA driver).
        case unassignable
        /// Refused for safety; `--force` overrides.
        case refused
        /// A write or check failed (what was done has been undone when `rolledBack`).
        case failed
    }

    public let kind: Kind
    /// A stable, machine-readable code, e.g. `write-failed`.
    public let code: String
    public let message: String
    public let path: String?
    public let errno: Errno?
    public let device: String?

    public init(_ kind: Kind, code: String, _ message: String, path: String? = nil, errno: Errno? = nil,
                device: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.path = path
        self.errno = errno
        self.device = device
    }

    public var description: String { message }

    /// A failed sysfs write: `0000:03:02.0: write "vfio-pci" to …/driver_override: Device or resource busy (EBUSY)`.
    static func write(_ write: SysfsWrite, _ errno: Errno, after: String = "") -> ClaimError {
        let shown = write.value == "\n" ? "a newline" : "\"\(write.value)\""
        return ClaimError(.failed, code: "write-failed",
                          "\(write.device): write \(shown) to \(write.path): \(errno)\(after)",
                          path: write.path, errno: errno, device: write.device.description)
    }

    /// The same failure, noting that the group has been put back.
    func rolledBack(_ note: String) -> ClaimError {
        ClaimError(kind, code: code, message + "; " + note, path: path, errno: errno, device: device)
    }
}
