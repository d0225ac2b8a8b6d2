import Glibc
import LinuxSystem
import VFIOSysfs

/// `manifest.json` at the top of a support bundle: where and when it was
/// captured, by which vfioadm, which commands' reads it holds, every path
/// read and how, and what could not be read, with the errno.
public struct BundleManifest: Codable, Sendable {
    /// The name of the manifest inside the bundle.
    public static let fileName = "manifest.json"

    public struct Kernel: Codable, Sendable {
        public let release: String
        public let version: String
        public let machine: String
    }

    /// A path the readers used that the bundle does not hold as it was.
    public struct Unreadable: Codable, Sendable, Equatable {
        public let path: String
        public let errno: Int32?
        public let errnoName: String?
        public let reason: String

        public init(path: String, errno: Errno?, reason: String? = nil) {
            self.path = path
            self.errno = errno?.rawValue
            errnoName = errno?.name
            self.reason = reason ?? errno?.message ?? "unreadable"
        }
    }

    /// A link whose target would lead out of the bundle, stored as the contained equivalent.
    public struct RewrittenLink: Codable, Sendable, Equatable {
        public let path: String
        public let target: String
        public let stored: String
    }

    /// A path read, and how: `contents`, `listing`, `link` or `presence`.
    public struct Read: Codable, Sendable, Equatable {
        public let path: String
        public let use: String
    }

    public var schemaVersion = 1
    public let vfioadmVersion: String
    public let host: String
    public let kernel: Kernel
    /// UTC, ISO 8601.
    public let capturedAt: String
    /// Whether the capture ran as root: without it config space stops at 64 bytes.
    public let asRoot: Bool
    /// The root the commands read under.
    public let sysfsRoot: String
    /// The commands whose reads the bundle holds, as argument lists.
    public let commands: [[String]]
    public let reads: [Read]
    public let unreadable: [Unreadable]
    public let rewrittenLinks: [RewrittenLink]
    /// Paths read but not captured, and why (device nodes are probed live).
    public let skipped: [Read]

    public init(vfioadmVersion: String, sysfsRoot: String, commands: [[String]], reads: [String: ReadKind],
                skipped: [String: ReadKind], mirror: BundleMirror, asRoot: Bool, now: time_t = time(nil))
    {
        self.vfioadmVersion = vfioadmVersion
        var names = utsname()
        uname(&names)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        host = text(names.nodename)
        kernel = Kernel(release: text(names.release), version: text(names.version), machine: text(names.machine))
        capturedAt = Self.timestamp(now)
        self.asRoot = asRoot
        self.sysfsRoot = sysfsRoot
        self.commands = commands
        self.reads = reads.sorted { $0.key < $1.key }.map { Read(path: $0.key, use: "\($0.value)") }
        self.skipped = skipped.sorted { $0.key < $1.key }.map { Read(path: $0.key, use: "\($0.value)") }
        unreadable = mirror.unreadable
        rewrittenLinks = mirror.rewrittenLinks
    }

    /// `2026-11-30T07:45:00Z`.
    static func timestamp(_ now: time_t) -> String {
        var seconds = now
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
