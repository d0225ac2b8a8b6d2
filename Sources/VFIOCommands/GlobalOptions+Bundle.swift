import Glibc
import LinuxSystem
import VFIOCore
import VFIOHost

extension GlobalOptions {
    /// The support bundle `--sysfs-root` names, unpacked and checked, or nil
    /// when it names a folder (or nothing: `reader()` says so). Commands that
    /// write refuse a bundle.
    func openBundle(for command: any ReportingCommand.Type) throws(CommandFailure) -> OpenedBundle? {
        guard case .success(let status) = FileStatus.of(sysfsRoot), status.kind == .regular else { return nil }
        guard command.readsBundles else {
            throw .usage("bad-sysfs-root", "--sysfs-root \(sysfsRoot): a support bundle is read only by "
                         + "list, check, explain, doctor and capture")
        }
        switch OpenedBundle.open(sysfsRoot) {
        case .success(let bundle): return bundle
        case .failure(let failure):
            throw CommandFailure(failure.errno == nil ? .usage : .failure, code: "bad-bundle",
                                 "--sysfs-root \(failure)", path: failure.path, errno: failure.errno)
        }
    }
}
