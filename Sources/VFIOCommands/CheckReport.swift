import VFIOSysfs

/// What `vfioadm check` reports: each target's group and verdict.
struct CheckReport: Encodable, Sendable {
    struct Result: Encodable, Sendable {
        /// The argument as given, canonicalised.
        let target: String
        let group: IOMMUGroupID?
        let verdict: Verdict

        private enum CodingKeys: String, CodingKey { case target, group, verdict }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(target, forKey: .target)
            try container.encodeIfPresent(group, forKey: .group)
            try container.encode(verdict, as: Verdict.JSON.self, forKey: .verdict)
        }
    }

    let schemaVersion = 1
    let viable: Bool
    let results: [Result]
}
