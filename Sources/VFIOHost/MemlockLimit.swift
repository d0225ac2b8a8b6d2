import Glibc
import VFIOCore

/// The process's RLIMIT_MEMLOCK, the cap on memory pinned for DMA; nil means unlimited.
public struct MemlockLimit: Hashable, Sendable {
    public let soft: UInt64?
    public let hard: UInt64?

    /// This process's limit.
    ///
    /// The corresponding system call is `getrlimit(RLIMIT_MEMLOCK)`.
    public static func current() -> MemlockLimit? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit) == 0 else { return nil }
        // RLIM_INFINITY is all ones; Swift cannot import the macro.
        func value(_ raw: rlim_t) -> UInt64? { raw == rlim_t.max ? nil : UInt64(raw) }
        return MemlockLimit(soft: value(limit.rlim_cur), hard: value(limit.rlim_max))
    }
}
