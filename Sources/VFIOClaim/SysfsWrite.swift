import VFIOSysfs

/// One write to a sysfs attribute, and the device it is for.
public struct SysfsWrite: Hashable, Sendable, Codable, CustomStringConvertible {
    public let device: PCIAddress
    public let path: String
    /// The text written; a bare newline clears `driver_override`.
    public let value: String

    /// `echo 0000:03:02.0 > /sys/bus/pci/drivers/nvme/unbind`, the way an admin types it.
    public var description: String {
        let shown = value == "\n" ? "" : value
        return "echo \(shown.isEmpty ? "''" : shown) > \(path)"
    }
}
