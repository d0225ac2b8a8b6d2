import VFIOSysfs

/// The driver a claim binds endpoints to: one named VFIO driver, or `auto`,
/// which picks a variant driver by the kernel's `modules.alias` as libvirt does.
public enum DriverChoice: Hashable, Sendable {
    case named(DriverName)
    case auto

    public static let vfioPCI = DriverName(rawValue: "vfio-pci")!

    /// Parses `auto` or a VFIO driver name (`vfio-pci`, `mlx5_vfio_pci`); nil for anything else.
    public init?(_ text: String) {
        if text == "auto" {
            self = .auto
        } else if let name = DriverName(rawValue: text), name.isVFIO {
            self = .named(name)
        } else {
            return nil
        }
    }
}
