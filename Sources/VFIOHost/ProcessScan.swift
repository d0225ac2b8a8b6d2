import Glibc
import LinuxSystem
import VFIOCore

/// A process that has a node open.
public struct NodeHolder: Hashable, Sendable, CustomStringConvertible {
    public let pid: Int32
    /// `/proc/PID/comm`, or nil when it could not be read.
    public let command: String?
    /// The node it holds.
    public let path: String

    /// `pid 4242 (qemu-system-x86)`
    public var description: String { "pid \(pid)" + (command.map { " (\($0))" } ?? "") }
}

/// A character or block device node's identity: what `st_rdev` of an open fd is compared with.
public struct DeviceNode: Hashable, Sendable {
    public let isBlock: Bool
    public let number: DeviceNumber

    public init(isBlock: Bool, number: DeviceNumber) {
        self.isBlock = isBlock
        self.number = number
    }
}

/// Finds the processes holding nodes open by reading `/proc/PID/fd/*`.
/// Processes whose fd directory cannot be read (other users', without
/// CAP_SYS_PTRACE) are skipped silently.
public enum ProcessScan {
    /// Every process under `procRoot` with one of `paths` open (the link
    /// target compared as text), by pid.
    ///
    /// The corresponding files are `/proc/PID/fd/*` and `/proc/PID/comm`.
    public static func holders(of paths: [String], procRoot: String) -> [NodeHolder] {
        let wanted = Set(paths)
        guard !wanted.isEmpty else { return [] }
        return scan(procRoot) { fd in
            guard case .success(let target) = FileSystem.readLink(fd), wanted.contains(target) else { return nil }
            return target
        }
    }

    /// Every process under `procRoot` holding a character or block device
    /// whose `st_rdev` is one of `nodes`, named by the node's label, by pid.
    ///
    /// The corresponding calls are `stat(2)` of `/proc/PID/fd/*` (which
    /// follows the fd to the node it holds) and the file `/proc/PID/comm`.
    public static func holders(of nodes: [DeviceNode: String], procRoot: String) -> [NodeHolder] {
        guard !nodes.isEmpty else { return [] }
        return scan(procRoot) { fd in
            guard case .success(let status) = FileStatus.of(fd),
                  status.kind == .characterDevice || status.kind == .blockDevice
            else { return nil }
            return nodes[DeviceNode(isBlock: status.kind == .blockDevice, number: status.rdev)]
        }
    }

    /// Calls `match` with the path of every fd of every process; a non-nil result names what it holds.
    private static func scan(_ procRoot: String, match: (String) -> String?) -> [NodeHolder] {
        guard case .success(let entries) = FileSystem.list(procRoot) else { return [] }
        var holders: [NodeHolder] = []
        for entry in entries {
            guard let pid = Int32(entry), pid > 0 else { continue }
            let fdDirectory = procRoot + "/" + entry + "/fd"
            guard case .success(let fds) = FileSystem.list(fdDirectory) else { continue }
            var seen = Set<String>()
            for fd in fds {
                guard let held = match(fdDirectory + "/" + fd), !seen.contains(held) else { continue }
                seen.insert(held)
                let command = try? FileSystem.readText(procRoot + "/" + entry + "/comm").get()
                holders.append(NodeHolder(pid: pid, command: command, path: held))
            }
        }
        return holders.sorted { ($0.pid, $0.path) < ($1.pid, $1.path) }
    }
}
