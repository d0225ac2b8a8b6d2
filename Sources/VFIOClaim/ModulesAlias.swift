import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The `vfio_pci:` lines of the kernel's `modules.alias`: which VFIO variant
/// driver serves which devices.
public struct ModulesAlias: Sendable {
    struct Entry: Sendable {
        let pattern: String
        let module: String
    }

    let entries: [Entry]
    /// The file read.
    public let path: String

    /// Reads the aliases of the running kernel (release from `/proc/sys/kernel/osrelease`);
    /// nil when there is no `modules.alias` (a kernel without modules).
    ///
    /// The corresponding file is `/lib/modules/RELEASE/modules.alias`.
    static func load(_ paths: HostPaths) -> ModulesAlias? {
        guard case .success(let release) = FileSystem.readText(paths.root.osRelease),
              !release.isEmpty, !release.contains("/")
        else { return nil }
        let path = paths.root.moduleTree(release: release) + "/modules.alias"
        guard case .success(let text) = FileSystem.readText(path, limit: 64 << 20) else { return nil }
        return ModulesAlias(path: path, text: text)
    }

    package init(path: String, text: String) {
        self.path = path
        entries = text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "alias", fields[1].hasPrefix("vfio_pci:") else { return nil }
            return Entry(pattern: String(fields[1]), module: String(fields[2]))
        }
    }

    /// The device's modalias in the form VFIO variant drivers publish:
    /// `vfio_pci:v000015B3d0000101Esv…sd…bc02sc00i00`.
    static func modalias(_ device: PCIDevice) -> String? {
        guard let vendor = device.vendorID, let product = device.deviceID, let classCode = device.classCode
        else { return nil }
        func hex(_ value: some BinaryInteger, _ width: Int) -> String { zeroPaddedHex(value, width).uppercased() }
        return "vfio_pci:v\(hex(vendor, 8))d\(hex(product, 8))"
            + "sv\(hex(device.subsystemVendorID ?? 0xFFFF, 8))sd\(hex(device.subsystemDeviceID ?? 0xFFFF, 8))"
            + "bc\(hex(classCode >> 16, 2))sc\(hex((classCode >> 8) & 0xFF, 2))i\(hex(classCode & 0xFF, 2))"
    }

    /// The first variant module whose alias matches the device, and the alias.
    package func match(_ device: PCIDevice) -> (module: String, alias: String)? {
        guard let modalias = Self.modalias(device) else { return nil }
        return entries.first { fnmatch($0.pattern, modalias, 0) == 0 }.map { ($0.module, $0.pattern) }
    }
}
