import VFIOCore
import VFIOSysfs

/// The boot VGA device while a console (vgacon, fbcon) is bound to it.
struct ConsoleUsage {
    let paths: HostPaths

    /// The corresponding files are `/sys/bus/pci/devices/BDF/boot_vga` and
    /// `/sys/class/vtconsole/vtconN/{bind,name}`.
    func hazards(device: PCIAddress) -> [Hazard] {
        guard case .success("1") = FileSystem.readText(paths.bootVGA(device)),
              case .success(let consoles) = FileSystem.list(paths.sysfs.vtConsoleClass)
        else { return [] }
        let bound = consoles.compactMap { console -> String? in
            let directory = paths.sysfs.vtConsoleClass + "/" + console
            guard case .success("1") = FileSystem.readText(directory + "/bind"),
                  case .success(let name) = FileSystem.readText(directory + "/name"),
                  !name.contains("dummy")
            else { return nil }
            return "\(console) (\(name))"
        }
        guard !bound.isEmpty else { return [] }
        return [Hazard(
            .bootConsole, device: device.description,
            "\(device) is the boot VGA device and the console is on it: \(bound.joined(separator: ", "))",
            fix: "move the console off it (unbind the vtconsole: echo 0 > /sys/class/vtconsole/vtconN/bind) "
                + "or use a serial console, or pass --force")]
    }
}
