import VFIOClaim

extension CommandFailure {
    /// The exit status each kind of claim error maps to.
    init(_ error: ClaimError) {
        let status: ExitStatus = switch error.kind {
        case .usage: .usage
        case .unavailable: .unavailable
        case .permission: .permission
        case .unassignable: .notViable
        case .refused: .refused
        case .failed: .failure
        }
        self.init(status, code: error.code, error.message, path: error.path, errno: error.errno)
    }
}
