import LinuxSystem
import VFIOCore
import VFIOSysfs

/// One module parameter's current value.
///
/// The corresponding file is `/sys/module/MODULE/parameters/NAME`.
public struct ModuleParameter: Hashable, Sendable {
    public let path: String
    /// The text as the kernel prints it (`Y`, `N`, `65535`); nil when the
    /// file is missing (module not loaded, or built without the parameter).
    public let value: String?

    public static func read(_ module: String, _ name: String, root: HostRoot) -> ModuleParameter {
        let path = root.moduleParameter(module, name)
        return ModuleParameter(path: path, value: try? FileSystem.readText(path).get())
    }

    /// A bool parameter: the kernel prints `Y` or `N` (and accepts 1/0 on write).
    public var flag: Bool? {
        switch value {
        case "Y", "y", "1": true
        case "N", "n", "0": false
        default: nil
        }
    }

    /// An unsigned parameter.
    public var number: UInt64? { value.flatMap { UInt64($0) } }
}
