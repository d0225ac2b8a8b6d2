import Synchronization

/// What a reader did with a path, weakest first: read it as a link (without
/// following it), asked whether it is there, listed it as a folder, or read
/// its bytes. Each but `link` follows the path's links to the end.
public enum ReadKind: Int, Sendable, Comparable {
    case link, presence, listing, contents

    public static func < (a: ReadKind, b: ReadKind) -> Bool { a.rawValue < b.rawValue }
}

/// Records every path the file layers touch while `recording(_:)` runs, so
/// that `vfioadm capture` copies exactly what the commands read on this host,
/// whatever its topology. The one process-wide seam: every read primitive
/// (SysfsFile, SysfsDirectory, FileSystem, ConfigSpace, PCIIDs, realPath)
/// calls `note`, which costs one relaxed atomic load when nothing records.
public final class ReadRecorder: @unchecked Sendable {  // `paths` only under `lock`
    private static let isRecording = Atomic<Bool>(false)
    /// Held for a whole recording: two in one process (parallel tests) take turns.
    private static let session = PthreadLock()
    /// Guards `active`.
    private static let activeLock = PthreadLock()
    nonisolated(unsafe) private static var active: ReadRecorder?
    private let lock = PthreadLock()
    private var paths: [String: ReadKind] = [:]

    private init() {}

    /// Runs `body` with recording on and returns its result and every path
    /// read, each with the strongest use made of it. Reads by other threads of
    /// this process in the meantime are noted too.
    public static func recording<R>(_ body: () throws -> R) rethrows -> (result: R, paths: [String: ReadKind]) {
        try session.withLock {
            let recorder = ReadRecorder()
            activeLock.withLock { active = recorder }
            isRecording.store(true, ordering: .releasing)
            defer {
                isRecording.store(false, ordering: .releasing)
                activeLock.withLock { active = nil }
            }
            let result = try body()
            return (result, recorder.lock.withLock { recorder.paths })
        }
    }

    /// Notes a use of an absolute path; a no-op unless a recording runs. The
    /// path is only built then: `list` reads thousands of attributes.
    public static func note(_ path: @autoclosure () -> String, _ kind: ReadKind) {
        guard isRecording.load(ordering: .relaxed), let recorder = activeLock.withLock({ active }) else { return }
        let path = path()
        recorder.lock.withLock {
            if let known = recorder.paths[path], known >= kind { return }
            recorder.paths[path] = kind
        }
    }
}
