import Foundation

/// What a host keeps beside the PCI tree, for claim tests: block devices and
/// network interfaces below a function, and the procfs files that say how they are used.
extension SysfsTree {
    /// A disk (and its partitions) below the device, under `/sys/class/block`.
    public func addDisk(_ name: String, below address: String, number: String, partitions: [(String, String)] = [],
                        holders: [String] = []) throws {
        let disk = "sys/devices/pci0000:00/\(address)/nvme/nvme0/\(name)"
        try write(disk + "/dev", number + "\n")
        try FileManager.default.createDirectory(at: root.appendingPathComponent(disk + "/holders"),
                                                withIntermediateDirectories: true)
        for holder in holders { try write(disk + "/holders/\(holder)", "") }
        try link("sys/class/block/\(name)", to: "../../devices/pci0000:00/\(address)/nvme/nvme0/\(name)")
        try link("sys/dev/block/\(number)", to: "../../devices/pci0000:00/\(address)/nvme/nvme0/\(name)")
        for (partition, partitionNumber) in partitions {
            try write(disk + "/\(partition)/dev", partitionNumber + "\n")
            try link("sys/class/block/\(partition)",
                     to: "../../devices/pci0000:00/\(address)/nvme/nvme0/\(name)/\(partition)")
            try link("sys/dev/block/\(partitionNumber)",
                     to: "../../devices/pci0000:00/\(address)/nvme/nvme0/\(name)/\(partition)")
        }
    }

    /// A network interface below the device, with its `flags` (0x1003 is up).
    public func addInterface(_ name: String, below address: String, flags: String) throws {
        let interface = "sys/devices/pci0000:00/\(address)/net/\(name)"
        try write(interface + "/flags", flags + "\n")
        try link("sys/class/net/\(name)", to: "../../devices/pci0000:00/\(address)/net/\(name)")
    }

    /// A virtual interface (a bridge, a VLAN) with its `flags`, under `/sys/devices/virtual/net`.
    public func addVirtualInterface(_ name: String, flags: String, bridge: Bool = false) throws {
        let interface = "sys/devices/virtual/net/\(name)"
        try write(interface + "/flags", flags + "\n")
        if bridge { try write(interface + "/bridge/forward_delay", "1500\n") }
        try link("sys/class/net/\(name)", to: "../../devices/virtual/net/\(name)")
    }

    /// A character device below the device (`nvme/nvme0`, `drm/card0`, `tty/ttyS4`), with its `uevent` DEVNAME.
    public func addCharDevice(_ relative: String, below address: String, number: String, devName: String) throws {
        let directory = "sys/devices/pci0000:00/\(address)/\(relative)"
        try write(directory + "/dev", number + "\n")
        try write(directory + "/uevent", "MAJOR=\(number.split(separator: ":")[0])\nDEVNAME=\(devName)\n")
        try link("sys/dev/char/\(number)", to: "../../devices/pci0000:00/\(address)/\(relative)")
    }

    /// A virtio device below the device, bound to `driver`, with a 9p `mount_tag` when given.
    public func addVirtio(_ name: String, below address: String, driver: String, tag: String?) throws {
        let directory = "sys/devices/pci0000:00/\(address)/\(name)"
        if let tag { try write(directory + "/mount_tag", tag + "\n") }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("sys/bus/virtio/drivers/\(driver)"),
                                                withIntermediateDirectories: true)
        try link(directory + "/driver", to: "../../../bus/virtio/drivers/\(driver)")
        try link("sys/bus/virtio/devices/\(name)", to: "../../../devices/pci0000:00/\(address)/\(name)")
    }

    /// `/proc/self/mountinfo` lines for mounts of the given device numbers.
    public func mounts(_ mounts: [(number: String, point: String)]) throws {
        let lines = mounts.enumerated().map { index, mount in
            "\(30 + index) 1 \(mount.number) / \(mount.point) rw,relatime shared:1 - ext4 /dev/x rw\n"
        }
        try write("proc/self/mountinfo", "22 1 0:21 / / rw - 9p root rw\n" + lines.joined())
    }

    /// Replaces a device's driver link (or removes it), as a bind or unbind does.
    public func setDriver(_ address: String, _ driver: String?) throws {
        let link = root.appendingPathComponent("sys/devices/pci0000:00/\(address)/driver")
        try? FileManager.default.removeItem(at: link)
        guard let driver else { return }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("sys/bus/pci/drivers/\(driver)"), withIntermediateDirectories: true)
        try self.link("sys/devices/pci0000:00/\(address)/driver", to: "../../../bus/pci/drivers/\(driver)")
    }

    /// A driver registered under `/sys/bus/pci/drivers` with no device bound.
    public func addDriver(_ name: String) throws {
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("sys/bus/pci/drivers/\(name)"), withIntermediateDirectories: true)
    }
}
