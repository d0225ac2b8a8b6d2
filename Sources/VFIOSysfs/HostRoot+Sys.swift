import LinuxSystem

/// The host-wide sysfs files `doctor` and `claim` read, under the same root
/// as the rest of sysfs, so that a tree captured from another host answers
/// for that host: firmware tables, IOMMU units, huge pages, device classes
/// and device numbers.
extension HostRoot {
    /// `/sys/firmware/acpi/tables`
    public var acpiTables: String { sys + "/firmware/acpi/tables" }
    /// `/sys/class/iommu`, one entry per IOMMU unit the kernel drives.
    public var iommuUnits: String { sys + "/class/iommu" }
    /// `/sys/class/vfio-dev`, one entry per device registered with VFIO.
    public var vfioDevClass: String { sys + "/class/vfio-dev" }
    /// `/sys/kernel/mm/hugepages`, one `hugepages-<size>kB` folder per pool.
    public var hugePages: String { sys + "/kernel/mm/hugepages" }

    /// `/sys/class/block`
    public var blockClass: String { sys + "/class/block" }
    /// `/sys/class/net`
    public var netClass: String { sys + "/class/net" }
    /// `/sys/class/vtconsole`
    public var vtConsoleClass: String { sys + "/class/vtconsole" }
    /// `/sys/dev/block`, one `MAJOR:MINOR` link per block device to its sysfs directory.
    public var blockNumbers: String { sys + "/dev/block" }
    /// `/sys/dev/char`, one `MAJOR:MINOR` link per character device to its sysfs directory.
    public var charNumbers: String { sys + "/dev/char" }
    /// `/sys/bus/virtio/devices`
    public var virtioDevices: String { sys + "/bus/virtio/devices" }
    /// `/sys/fs/virtiofs`, one folder per virtiofs device with its `tag` (Linux 6.9+).
    public var virtiofsDevices: String { sys + "/fs/virtiofs" }
    /// `/sys/class/tty/console/active`, the consoles the kernel writes to.
    public var activeConsoles: String { sys + "/class/tty/console/active" }
    /// `/sys/class/iscsi_connection`
    public var iscsiConnections: String { sys + "/class/iscsi_connection" }
}
