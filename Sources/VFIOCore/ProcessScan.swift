#if canImport(Glibc)
import Glibc
#endif

/// A process that has a node open.
public struct NodeHolder: Hashable, Sendable, Codable, CustomStringConvertible {
    public let pid: Int32
    /// `/proc/PID/comm`, or nil when it could not be read.
    public let command: String?
    /// The node it holds.
    public let path: String

    public init(pid: Int32, command: String?, path: String) {
        self.pid = pid
        self.command = command
        self.path = path
    }

    /// `pid 4242 (qemu-system-x86)`
    public var description: String { "pid \(pid)" + (command.map { " (\($0))" } ?? "") }
}

/// Finds the processes holding nodes open by reading `/proc/PID/fd/*` links.
/// Processes whose fd directory cannot be read (other users', without
/// CAP_SYS_PTRACE) are skipped silently.
public enum ProcessScan {
    /// Every process under `procRoot` with one of `paths` open, by pid.
    ///
    /// The corresponding files are `/proc/PID/fd/*` and `/proc/PID/comm`.
    public static func holders(of paths: [String], procRoot: String = "/proc") -> [NodeHolder] {
        let wanted = Set(paths)
        guard !wanted.isEmpty, case .success(let entries) = FileSystem.list(procRoot) else { return [] }
        var holders: [NodeHolder] = []
        for entry in entries {
            guard let pid = Int32(entry), pid > 0 else { continue }
            let fdDirectory = procRoot + "/" + entry + "/fd"
            guard case .success(let fds) = FileSystem.list(fdDirectory) else { continue }
            var seen = Set<String>()
            for fd in fds {
                guard case .success(let target) = FileSystem.readLink(fdDirectory + "/" + fd),
                      wanted.contains(target), !seen.contains(target)
                else { continue }
                seen.insert(target)
                let command = try? FileSystem.readText(procRoot + "/" + entry + "/comm").get()
                holders.append(NodeHolder(pid: pid, command: command, path: target))
            }
        }
        return holders.sorted { ($0.pid, $0.path) < ($1.pid, $1.path) }
    }
}
