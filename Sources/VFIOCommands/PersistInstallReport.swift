/// What `vfioadm persist install` reports: the udev rule and units it wrote.
struct PersistInstallReport: Encodable {
    let schemaVersion = 1
    let files: [String]
    let binary: String
    let configDirectory: String
    /// Whether they were installed on this host, so that udev and systemd must reload them (not for `--package-root`).
    let installed: Bool

    private enum CodingKeys: String, CodingKey { case schemaVersion, files, binary, configDirectory }
}
