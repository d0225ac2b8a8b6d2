import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

extension ModulesAlias {
    /// The running kernel's `modules.alias` under `root` cut to the lines that
    /// `load` keeps and that match one of `devices`, in their order, so that a
    /// support bundle chooses the same variant driver; nil when there is none.
    public static func subset(root: HostRoot, devices: [PCIDevice]) -> (path: String, bytes: [UInt8])? {
        guard let aliases = load(HostPaths(root: root)) else { return nil }
        let modaliases = devices.compactMap(modalias)
        let kept = aliases.entries.filter { entry in modaliases.contains { fnmatch(entry.pattern, $0, 0) == 0 } }
        let lines = kept.map { "alias \($0.pattern) \($0.module)\n" }.joined()
        return (aliases.path, Array(lines.utf8))
    }
}
