import ArgumentParser

/// Where the persistent claims are kept.
struct ConfigDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("config-dir"),
            help: ArgumentHelp("Keep the persistent claims in DIR/claims (an absolute path).", valueName: "DIR"))
    var configDirectory = "/etc/vfioadm"

    func validate() throws {
        try AbsolutePath.check("--config-dir", configDirectory)
    }
}
