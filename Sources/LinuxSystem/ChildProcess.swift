import Glibc
import CLinuxSystem

/// A program run to its end with a fixed argument list and environment and no
/// shell: standard input and output on `/dev/null`, standard error captured.
public enum ChildProcess {
    /// How the program ended and what it wrote to standard error.
    public struct Exit: Sendable {
        /// The `waitpid` status: exited when `status & 0x7F` is 0, with code `(status >> 8) & 0xFF`.
        public let status: Int32
        /// The start of standard error, at most the limit `run` was given.
        public let standardError: [UInt8]
    }

    /// Runs `executable` with `arguments` (argument 0 included) and `environment`,
    /// waits for it, and keeps the first `limit` bytes of its standard error.
    ///
    /// The corresponding calls are `pipe2(2)`, `posix_spawn(3)`, `read(2)` and `waitpid(2)`.
    public static func run(_ executable: String, arguments: [String], environment: [String], limit: Int)
        -> Result<Exit, Errno>
    {
        var ends: [Int32] = [-1, -1]
        if case .failure(let errno) = Syscall.retryingEINTR({ clinux_pipe(&ends) }) { return .failure(errno) }
        let readEnd = FileDescriptor(adopting: ends[0], path: "pipe")
        var pid: pid_t = 0
        do {
            let writeEnd = FileDescriptor(adopting: ends[1], path: "pipe")
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, writeEnd.rawValue, 2)
            let argv = arguments.map { strdup($0) } + [nil]
            let envp = environment.map { strdup($0) } + [nil]
            defer { (argv + envp).forEach { free($0) } }
            let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
            // The write end closes here, so the read below ends when the child exits.
            _ = consume writeEnd
            guard spawned == 0 else { return .failure(Errno(rawValue: spawned)) }
        }
        var message: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while case .success(let count) = chunk.withUnsafeMutableBytes({ Syscall.read(readEnd.rawValue, $0) }), count > 0 {
            if message.count < limit { message += chunk[0..<min(count, limit - message.count)] }
        }
        return Syscall.waitpid(pid).map { Exit(status: $0, standardError: message) }
    }
}
