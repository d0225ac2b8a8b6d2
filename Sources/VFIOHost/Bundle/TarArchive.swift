import LinuxSystem

/// A support bundle's `.tar.gz`, made and unpacked by Debian's essential GNU
/// `tar` (which runs `gzip`), started with a fixed argument list and
/// environment and no shell. Unpacking takes GNU tar's own guards (no
/// absolute or `..` member names, links that could lead out are made last)
/// and keeps no owner or mode from the archive; `BundleTree` then checks
/// every entry before anything reads it.
public enum TarArchive {
    /// `/bin/tar` is there with and without merged /usr.
    static let tar = "/bin/tar"
    static let environment = ["PATH=/usr/bin:/bin", "LC_ALL=C"]

    /// Packs everything under `directory` into the gzipped archive `file` (created or replaced).
    public static func create(_ file: String, from directory: String) -> Result<Void, TarFailure> {
        run(["tar", "--create", "--gzip", "--file=" + file, "--directory=" + directory,
             "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--format=gnu", "."])
    }

    /// Unpacks the gzipped archive `file` into the empty folder `directory`.
    public static func extract(_ file: String, into directory: String) -> Result<Void, TarFailure> {
        run(["tar", "--extract", "--gzip", "--file=" + file, "--directory=" + directory,
             "--no-same-owner", "--no-same-permissions", "--no-overwrite-dir"])
    }

    /// Runs tar with `arguments` (argument 0 included), stdin and stdout on
    /// /dev/null, and returns its exit status with what it wrote to stderr.
    ///
    /// The corresponding calls are `posix_spawn(3)` and `waitpid(2)`, made by `ChildProcess`.
    static func run(_ arguments: [String]) -> Result<Void, TarFailure> {
        let status: Int32
        let message: [UInt8]
        switch ChildProcess.run(tar, arguments: arguments, environment: environment, limit: 65536) {
        case .failure(let errno): return .failure(TarFailure(errno: errno))
        case .success(let exit): (status, message) = (exit.status, exit.standardError)
        }
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        guard exited, code == 0 else {
            var text = String(decoding: message, as: UTF8.self)
            while text.hasSuffix("\n") { text.removeLast() }
            return .failure(TarFailure(exitStatus: exited ? code : nil, signal: exited ? nil : status & 0x7F,
                                       message: text))
        }
        return .success(())
    }
}

/// Why tar failed: it could not be started (errno), or it exited with a
/// status or a signal and said why on stderr.
public struct TarFailure: Error, Sendable, CustomStringConvertible {
    public var errno: Errno?
    public var exitStatus: Int32?
    public var signal: Int32?
    public var message = ""

    public var description: String {
        if let errno { return "cannot run \(TarArchive.tar): \(errno)" }
        let how = exitStatus.map { "exited with status \($0)" } ?? "was killed by signal \(signal ?? 0)"
        let said = message.split(separator: "\n").first.map { ": " + $0 } ?? ""
        return "\(TarArchive.tar) \(how)\(said)"
    }
}
