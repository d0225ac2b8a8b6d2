/// The host-wide files `doctor` and `claim` read, under the same root as the
/// rest of sysfs, so that a tree captured from another host answers for that
/// host: firmware tables, IOMMU units, modules, huge pages, device classes and
/// procfs files.
extension SysfsRoot {
    /// `/sys/firmware/acpi/tables`
    public var acpiTables: String { join("sys/firmware/acpi/tables") }
    /// `/sys/class/iommu`, one entry per IOMMU unit the kernel drives.
    public var iommuUnits: String { join("sys/class/iommu") }
    /// `/sys/class/vfio-dev`, one entry per device registered with VFIO.
    public var vfioDevClass: String { join("sys/class/vfio-dev") }
    /// `/sys/kernel/mm/hugepages`, one `hugepages-<size>kB` folder per pool.
    public var hugePages: String { join("sys/kernel/mm/hugepages") }

    /// `/sys/module/NAME`, present for a loaded module and for a built-in one
    /// with parameters.
    public func module(_ name: String) -> String { modules + "/" + name }
    /// `/sys/module/MODULE/parameters/NAME`
    public func moduleParameter(_ module: String, _ name: String) -> String {
        self.module(module) + "/parameters/" + name
    }

    /// `/lib/modules/RELEASE`, where `modules.dep` and `modules.builtin` list
    /// what the kernel of that release can load or has built in.
    public func moduleTree(release: String) -> String { join("lib/modules/" + release) }

    /// `/proc/cmdline`
    public var commandLine: String { join("proc/cmdline") }
    /// `/proc/interrupts`
    public var interrupts: String { join("proc/interrupts") }
    /// `/proc/devices`, the registered character and block device majors.
    public var registeredDevices: String { join("proc/devices") }
    /// `/proc/sys/kernel/tainted`
    public var tainted: String { join("proc/sys/kernel/tainted") }
    /// `/proc/sys/kernel/osrelease`, what `uname -r` prints.
    public var osRelease: String { join("proc/sys/kernel/osrelease") }

    /// `/proc`
    public var proc: String { join("proc") }
    /// `/proc/self/mountinfo`
    public var mountInfo: String { join("proc/self/mountinfo") }
    /// `/proc/swaps`
    public var swaps: String { join("proc/swaps") }
    /// `/proc/net/route`
    public var ipv4Routes: String { join("proc/net/route") }
    /// `/proc/net/ipv6_route`
    public var ipv6Routes: String { join("proc/net/ipv6_route") }
    /// `/proc/net/if_inet6`
    public var ipv6Addresses: String { join("proc/net/if_inet6") }
    /// `/sys/class/block`
    public var blockClass: String { join("sys/class/block") }
    /// `/sys/class/net`
    public var netClass: String { join("sys/class/net") }
    /// `/sys/class/vtconsole`
    public var vtConsoleClass: String { join("sys/class/vtconsole") }
    /// `/sys/dev/block`, one `MAJOR:MINOR` link per block device to its sysfs directory.
    public var blockNumbers: String { join("sys/dev/block") }
    /// `/sys/dev/char`, one `MAJOR:MINOR` link per character device to its sysfs directory.
    public var charNumbers: String { join("sys/dev/char") }
    /// `/sys/bus/virtio/devices`
    public var virtioDevices: String { join("sys/bus/virtio/devices") }
    /// `/sys/fs/virtiofs`, one folder per virtiofs device with its `tag` (Linux 6.9+).
    public var virtiofsDevices: String { join("sys/fs/virtiofs") }
    /// `/sys/class/tty/console/active`, the consoles the kernel writes to.
    public var activeConsoles: String { join("sys/class/tty/console/active") }
    /// `/sys/class/iscsi_connection`
    public var iscsiConnections: String { join("sys/class/iscsi_connection") }
    /// `/proc/net/tcp`
    public var tcp4Sockets: String { join("proc/net/tcp") }
    /// `/proc/net/tcp6`
    public var tcp6Sockets: String { join("proc/net/tcp6") }

    /// An absolute path of the host (a mount's backing file, a swap file) under this root.
    public func hostPath(_ absolute: String) -> String { join(String(absolute.drop { $0 == "/" })) }

    /// `/sys/bus/pci/drivers_probe`
    public var driversProbe: String { join("sys/bus/pci/drivers_probe") }
}
