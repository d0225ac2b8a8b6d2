import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The device of a console the kernel writes to: a serial port of the
/// function, its framebuffer while fbcon is bound, or the boot VGA device
/// while a VGA or framebuffer console is bound to it.
struct ConsoleUsage {
    let paths: HostPaths

    /// The corresponding files are `/sys/class/tty/console/active`,
    /// `/sys/bus/pci/devices/BDF/boot_vga` and `/sys/class/vtconsole/vtconN/{bind,name}`.
    func hazards(_ function: FunctionDevices) -> [Hazard] {
        let device = function.address.description
        let fix = "none with --force: move the console elsewhere first (console= on the kernel command line, "
            + "or unbind the VT console: echo 0 > /sys/class/vtconsole/vtconN/bind)"
        let active = (try? FileSystem.readText(paths.root.activeConsoles).get())?
            .split(separator: " ").map(String.init) ?? []
        var hazards: [Hazard] = []
        for tty in function.chars where active.contains(tty.name) {
            hazards.append(Hazard(.console, device: device, "\(device) is \(tty.name), an active kernel console",
                                  fix: fix, evidence: [.init(paths.root.activeConsoles, active.joined(separator: " "))]))
        }
        let bound = boundVTConsoles()
        let onVT = active.contains { $0.hasPrefix("tty") && $0.dropFirst(3).allSatisfy(\.isNumber) }
        let framebuffers = function.chars.filter { $0.name.hasPrefix("fb") && $0.name.dropFirst(2).allSatisfy(\.isNumber) }
        if let framebuffer = framebuffers.first, onVT, let fbcon = bound.first(where: { $0.name.contains("frame buffer") }) {
            hazards.append(Hazard(
                .console, device: device,
                "\(device) drives /dev/\(framebuffer.name), and the VT console is on it: \(fbcon.label)",
                fix: fix, evidence: [.init(fbcon.file, "1")]))
        } else if case .success("1") = FileSystem.readText(paths.bootVGA(function.address)), !bound.isEmpty {
            hazards.append(Hazard(
                .console, device: device,
                "\(device) is the boot VGA device and the console is on it: "
                    + bound.map(\.label).joined(separator: ", "),
                fix: fix, evidence: [.init(paths.bootVGA(function.address), "1")] + bound.map { .init($0.file, "1") }))
        }
        return hazards
    }

    /// VT consoles bound to a real driver (not the dummy one).
    private func boundVTConsoles() -> [(label: String, name: String, file: String)] {
        guard case .success(let consoles) = FileSystem.list(paths.root.vtConsoleClass) else { return [] }
        return consoles.compactMap { console in
            let directory = paths.root.vtConsoleClass + "/" + console
            guard case .success("1") = FileSystem.readText(directory + "/bind"),
                  case .success(let name) = FileSystem.readText(directory + "/name"),
                  !name.contains("dummy")
            else { return nil }
            return ("\(console) (\(name))", name, directory + "/bind")
        }
    }
}
