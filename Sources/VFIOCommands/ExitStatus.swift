/// The exit codes of every vfioadm command (sysexits.h where one fits).
public enum ExitStatus: Int32, Sendable, Codable {
    case success = 0
    /// Any other failure: an I/O error, a kernel call that failed.
    case failure = 1
    /// `check`: at least one group is not viable (or unassignable); `doctor`: a check failed.
    case notViable = 2
    /// `claim`, `release`: refused for safety (a mounted file system, an open group...); `--force` overrides.
    case refused = 3
    /// Bad arguments, or an address, group or driver that does not exist (EX_USAGE).
    case usage = 64
    /// No IOMMU, or VFIO is unavailable (EX_UNAVAILABLE).
    case unavailable = 69
    /// Permission denied: run as root (EX_NOPERM).
    case permission = 77
}
