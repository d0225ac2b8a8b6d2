import Glibc
import ArgumentParser
import LinuxSystem
import VFIOSysfs

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("sysfs-root"),
            help: ArgumentHelp("Read sysfs under PATH instead of / (a tree captured from another host; "
                               + "for list, check, explain and doctor also a bundle from vfioadm capture).",
                               valueName: "PATH"))
    var sysfsRoot: String = "/"

    @Flag(name: .long, help: "Print the report, and any error, as JSON.")
    var json = false

    func validate() throws {
        guard !sysfsRoot.isEmpty, !sysfsRoot.utf8.contains(0) else {
            throw ValidationError("--sysfs-root must name a directory")
        }
    }

    var root: HostRoot { HostRoot(sysfsRoot) }

    /// The reader, once the root is known to hold a sysfs tree.
    func reader() throws(CommandFailure) -> SysfsReader {
        let root = self.root
        guard SysfsTreeCheck.looksLikeSysfs(root) else {
            throw .usage("bad-sysfs-root", "--sysfs-root \(sysfsRoot): no sys/bus/pci/devices directory under it")
        }
        return SysfsReader(root: root)
    }
}

enum SysfsTreeCheck {
    static func looksLikeSysfs(_ root: HostRoot) -> Bool {
        ReadRecorder.note(root.pciDevices, .presence)
        guard case .success(let status) = FileStatus.of(root.pciDevices) else { return false }
        return status.kind == .directory
    }
}
