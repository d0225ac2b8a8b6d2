import LinuxSystem
import VFIOCore
import VFIOSysfs

/// Whether a kernel module is there for VFIO to use, and how.
public enum KernelModuleState: String, Sendable {
    /// Built into the kernel image.
    case builtIn = "built-in"
    /// Loaded as a module.
    case loaded
    /// Not loaded, but `modprobe` can load it.
    case loadable
    /// Neither loaded nor in the kernel's module lists.
    case absent
}

/// Finds a module's state from what the kernel and its module tree say:
/// `/sys/module/NAME` exists for a loaded module (with an `initstate` file)
/// and for a built-in one that has parameters (without); `modules.builtin`
/// and `modules.dep` under `/lib/modules/$(uname -r)` list the rest.
///
/// The corresponding files are `/sys/module/NAME/initstate`,
/// `/lib/modules/RELEASE/modules.builtin` and `modules.dep`.
public struct KernelModule: Hashable, Sendable {
    /// The name as `/sys/module` spells it: `vfio_pci`.
    public let name: String
    public let state: KernelModuleState
    /// The file that showed the state (the `/sys/module` folder or a module list),
    /// or the places looked in, for `absent`.
    public let evidence: String

    public var isPresent: Bool { state == .builtIn || state == .loaded }

    public static func find(_ name: String, root: HostRoot) -> KernelModule {
        let folder = root.module(name)
        if FileSystem.exists(folder) {
            let loaded = FileSystem.exists(folder + "/initstate")
            return KernelModule(name: name, state: loaded ? .loaded : .builtIn, evidence: folder)
        }
        guard case .success(let release) = FileSystem.readText(root.osRelease) else {
            return KernelModule(name: name, state: .absent, evidence: "\(folder) (no \(root.osRelease))")
        }
        let tree = root.moduleTree(release: release)
        for (list, state) in [("modules.builtin", KernelModuleState.builtIn), ("modules.dep", .loadable)] {
            if case .success(let text) = FileSystem.readText(tree + "/" + list, limit: 1 << 24),
               lists(text, name) {
                return KernelModule(name: name, state: state, evidence: tree + "/" + list)
            }
        }
        return KernelModule(name: name, state: .absent,
                            evidence: "\(folder), \(tree)/modules.builtin, \(tree)/modules.dep")
    }

    /// Whether a `modules.dep` or `modules.builtin` text lists the module: a
    /// line starting `kernel/.../NAME.ko` (optionally compressed), with `-`
    /// and `_` the same.
    static func lists(_ text: String, _ name: String) -> Bool {
        let wanted = name.replacingDashes
        return text.split(separator: "\n").contains { line in
            let path = line.split(separator: ":", maxSplits: 1).first ?? line
            guard let file = path.split(separator: "/").last, let dot = file.firstIndex(of: ".") else { return false }
            return String(file[..<dot]).replacingDashes == wanted && file[dot...].hasPrefix(".ko")
        }
    }
}

extension String {
    fileprivate var replacingDashes: String { String(map { $0 == "-" ? "_" : $0 }) }
}
