import Glibc
import ArgumentParser
import VFIOClaim
import VFIOCore
import VFIOSysfs

/// Where claims keep their journals and lock, and the device-node root.
struct StateOptions: ParsableArguments {
    @Option(name: .customLong("state-dir"),
            help: ArgumentHelp("Keep the journals and the lock in DIR (an absolute path).", valueName: "DIR"))
    var stateDirectory = "/run/vfioadm"

    @OptionGroup var configuration: ConfigDirectoryOptions
    @OptionGroup var nodes: DeviceNodeOptions

    func validate() throws {
        try AbsolutePath.check("--state-dir", stateDirectory)
    }

    func paths(_ global: GlobalOptions) -> HostPaths {
        HostPaths(root: nodes.root(global), state: stateDirectory, config: configuration.configDirectory)
    }
}
