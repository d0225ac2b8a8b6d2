import Foundation

/// Runs a program with arguments, no shell, its output going to files under /tmp:
/// `posix_spawn` rather than Foundation's Process, which can hang in the guest
/// ("Could not create wakeup socket pair for CFSocket").
enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        let what: String
        let errno: Int32
        var description: String { "\(what): \(String(cString: strerror(errno)))" }
    }

    /// A started program; `wait()` collects its status and output.
    struct Running {
        let pid: pid_t
        let outPath: String
        let errPath: String

        /// The exit status (128 + signal for a killed process), stdout and stderr.
        func wait() throws -> (status: Int32, stdout: String, stderr: String) {
            defer {
                unlink(outPath)
                unlink(errPath)
            }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 {
                guard errno == EINTR else { throw Failure(what: "waitpid \(pid)", errno: errno) }
            }
            let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            return (exit, stdout, stderr)
        }
    }

    static func run(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try start(path, arguments, environment: environment).wait()
    }

    /// Starts the program with this process's environment plus `environment`.
    static func start(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let stem = "/tmp/vfioadm-subprocess-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let running = Running(pid: 0, outPath: stem + ".out", errPath: stem + ".err")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, running.outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, running.errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw Failure(what: "posix_spawn \(path)", errno: spawned) }
        return Running(pid: pid, outPath: running.outPath, errPath: running.errPath)
    }
}
