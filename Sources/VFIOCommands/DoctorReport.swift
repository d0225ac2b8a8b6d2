import VFIOCore
import VFIOHost

/// `doctor`'s report: every check with its evidence and fix, and the counts.
struct DoctorReport: Encodable, Sendable {
    struct Counts: Encodable, Sendable {
        let pass: Int
        let warn: Int
        let fail: Int
        let skip: Int
    }

    let schemaVersion = 1
    let sysfsRoot: String
    /// Whether it ran as root (checks that need root are skipped otherwise).
    let root: Bool
    /// No check failed.
    let ok: Bool
    let counts: Counts
    let checks: [HostCheck.JSON]

    init(sysfsRoot: String, root: Bool, checks: [HostCheck]) {
        self.sysfsRoot = sysfsRoot
        self.root = root
        self.checks = checks.map(HostCheck.JSON.init)
        func count(_ status: HostCheck.Status) -> Int { checks.filter { $0.status == status }.count }
        counts = Counts(pass: count(.pass), warn: count(.warn), fail: count(.fail), skip: count(.skip))
        ok = counts.fail == 0
    }

    /// 2 when a check failed, else 0.
    var status: ExitStatus { ok ? .success : .notViable }
}
