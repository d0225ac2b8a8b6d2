import FoundationEssentials
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// What the last `apply` skipped and why, kept in the state directory so that
/// `status` can say it after a boot: a host that kept booting past a skipped
/// entry shows why the group is not held.
public struct ApplyRecord: Sendable, Codable {
    public struct Skip: Sendable, Codable {
        public let entry: String?
        public let group: IOMMUGroupID?
        public let reason: String
    }

    public var schemaVersion = 1
    public let boot: Bool
    public let skipped: [Skip]

    /// The corresponding file is `STATE/apply.json`.
    static func save(_ record: ApplyRecord, paths: HostPaths) throws(ClaimError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(record) else {
            throw ClaimError(.failed, code: "apply-record", "cannot encode the apply record")
        }
        try FileSystem.makeDirectories(paths.state, mode: 0o700)
            .flatMap { FileSystem.replace(paths.applyRecord, with: Array(data), mode: 0o600) }
            .claimed(code: "apply-record")
    }

    /// The last record, nil when there is none or it does not parse.
    public static func load(paths: HostPaths) -> ApplyRecord? {
        guard case .success(let text) = FileSystem.readText(paths.applyRecord, limit: 1 << 20) else { return nil }
        return try? JSONDecoder().decode(ApplyRecord.self, from: Data(text.utf8))
    }
}
