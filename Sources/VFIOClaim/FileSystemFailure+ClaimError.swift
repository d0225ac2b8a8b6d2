import Glibc
import LinuxSystem

extension Result where Failure == FileSystem.Failure {
    /// The value of a durable change to a journal, a persistent claim or a boot
    /// file, or the claim error of its failed step: a permission problem (77)
    /// for EACCES and EROFS, else a failure, naming the path and the errno.
    func claimed(code: String, _ what: String = "cannot write") throws(ClaimError) -> Success {
        switch self {
        case .success(let value):
            return value
        case .failure(let failure):
            let number = failure.errno.rawValue
            throw ClaimError(number == EACCES || number == EROFS ? .permission : .failed, code: code,
                             "\(what) \(failure.path): \(failure.errno)", path: failure.path, errno: failure.errno)
        }
    }
}
