import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The character device majors the kernel has registered, by name: `vfio`
/// (group nodes), `vfio-dev` (device cdevs, CONFIG_VFIO_DEVICE_CDEV), `misc`
/// (which serves `/dev/vfio/vfio` and `/dev/iommu`).
///
/// The corresponding file is `/proc/devices`.
public struct RegisteredDevices: Hashable, Sendable {
    /// Name → major, from the `Character devices:` section.
    public let characterMajors: [String: UInt32]

    public init(parsing text: String) {
        var majors: [String: UInt32] = [:]
        var inCharacter = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasSuffix("devices:") {
                inCharacter = line == "Character devices:"
                continue
            }
            let fields = line.split(separator: " ")
            guard inCharacter, fields.count == 2, let major = UInt32(fields[0]) else { continue }
            majors[String(fields[1])] = major
        }
        characterMajors = majors
    }

    public static func read(_ root: HostRoot) -> Result<RegisteredDevices, Errno> {
        FileSystem.readText(root.registeredDevices).map(RegisteredDevices.init(parsing:))
    }
}
