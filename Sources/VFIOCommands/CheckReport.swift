import VFIOSysfs

/// What `vfioadm check` reports: each target's group and verdict.
struct CheckReport: Encodable, Sendable {
    struct Result: Encodable, Sendable {
        /// The argument as given, canonicalised.
        let target: String
        let group: IOMMUGroupID?
        let verdict: Verdict.JSON
    }

    let schemaVersion = 1
    let viable: Bool
    let results: [Result]
}
