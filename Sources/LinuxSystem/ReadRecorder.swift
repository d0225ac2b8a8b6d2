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
public final class ReadRecorder: Sendable {
    private static let isRecording = Atomic<Bool>(false)
    private static let active = Mutex<ReadRecorder?>(nil)
    private let paths = Mutex<[String: ReadKind]>([:])

    private init() {}

    /// Runs `body` with recording on and returns its result and every path
    /// read, each with the strongest use made of it.
    public static func recording<R>(_ body: () throws -> R) rethrows -> (result: R, paths: [String: ReadKind]) {
        let recorder = ReadRecorder()
        active.withLock { $0 = recorder }
        isRecording.store(true, ordering: .releasing)
        defer {
            isRecording.store(false, ordering: .releasing)
            active.withLock { $0 = nil }
        }
        let result = try body()
        return (result, recorder.paths.withLock { $0 })
    }

    /// Notes a use of an absolute path; a no-op unless a recording runs.
    public static func note(_ path: String, _ kind: ReadKind) {
        guard isRecording.load(ordering: .relaxed), let recorder = active.withLock({ $0 }) else { return }
        recorder.paths.withLock { paths in
            if let known = paths[path], known >= kind { return }
            paths[path] = kind
        }
    }
}
