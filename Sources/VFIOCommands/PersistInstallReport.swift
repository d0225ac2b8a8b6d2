/// What `vfioadm persist install` reports: the udev rule and units it wrote.
struct PersistInstallReport: Encodable {
    let files: [String]
    let binary: String
    let configDirectory: String
    /// Whether they were installed on this host, so that udev and systemd must reload them (not for `--package-root`).
    let installed: Bool

    private enum CodingKeys: String, CodingKey { case schemaVersion, files, binary, configDirectory }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .schemaVersion)
        try container.encode(files, forKey: .files)
        try container.encode(binary, forKey: .binary)
        try container.encode(configDirectory, forKey: .configDirectory)
    }
}
