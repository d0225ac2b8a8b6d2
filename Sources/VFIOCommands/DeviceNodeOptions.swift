import ArgumentParser
import LinuxSystem

/// Where device nodes are opened: hidden, for tests that point it at a tree
/// without `/dev/vfio` (the default is the live `/`).
struct DeviceNodeOptions: ParsableArguments {
    @Option(name: .customLong("dev-root"), help: .hidden)
    var devRoot: String = "/"

    func validate() throws {
        guard !devRoot.isEmpty, !devRoot.utf8.contains(0) else { throw ValidationError("--dev-root must name a directory") }
    }

    /// The host root: sysfs and procfs under `--sysfs-root`, device nodes under `--dev-root`.
    func root(_ global: GlobalOptions) -> HostRoot { HostRoot(global.sysfsRoot, dev: devRoot) }
}
