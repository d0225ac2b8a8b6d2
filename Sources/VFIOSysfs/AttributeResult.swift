import Glibc
import LinuxSystem

/// A raw read's errno turned into the problem `list` and `explain` report, naming the file.
extension Result where Failure == Errno {
    /// The failure as a problem naming `path`.
    func problem(_ path: @autoclosure () -> String) -> Result<Success, AttributeProblem> {
        mapError { AttributeProblem(path: path(), errno: $0) }
    }

    /// Nil for ENOENT (an attribute the kernel leaves out), else as `problem(_:)`.
    func optional(_ path: @autoclosure () -> String) -> Result<Success?, AttributeProblem> {
        switch self {
        case .success(let value): .success(value)
        case .failure(let errno) where errno.rawValue == ENOENT: .success(nil)
        case .failure(let errno): .failure(AttributeProblem(path: path(), errno: errno))
        }
    }
}
