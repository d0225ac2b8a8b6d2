import Glibc

/// The crash test hook: with VFIOADM_TEST_CRASH_AFTER_WRITE=N in the environment,
/// the process kills itself with SIGKILL right after its Nth sysfs write, as a
/// power cut or an OOM kill would stop it.
enum CrashHook {
    static func fromEnvironment() -> (@Sendable (Int) -> Void)? {
        guard let text = getenv("VFIOADM_TEST_CRASH_AFTER_WRITE").map({ String(cString: $0) }),
              let limit = Int(text), limit > 0
        else { return nil }
        return { count in if count == limit { kill(getpid(), SIGKILL) } }
    }
}
