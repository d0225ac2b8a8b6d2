import VFIOCore
import VFIOSysfs

/// Where a claim reads the host's state and keeps its own: sysfs and procfs
/// under one root (`/`, or a test tree), device nodes under another, and the
/// state directory with the journals and the lock. The one owner of the
/// `proc/...`, `sys/class/...` and `lib/modules/...` spellings vfioadm claims use.
public struct HostPaths: Sendable {
    public let sysfs: SysfsRoot
    public let dev: DevRoot
    /// The state directory, `/run/vfioadm` by default.
    public let state: String
    private let host: RootDirectory

    public init(sysfs: SysfsRoot = SysfsRoot(), dev: DevRoot = DevRoot(), state: String = "/run/vfioadm") {
        self.sysfs = sysfs
        self.dev = dev
        self.state = RootDirectory(state).path
        host = RootDirectory(sysfs.path)
    }

    /// `/proc`
    public var proc: String { host.join("proc") }
    /// `/proc/self/mountinfo`
    var mountInfo: String { host.join("proc/self/mountinfo") }
    /// `/proc/swaps`
    var swaps: String { host.join("proc/swaps") }
    /// `/proc/net/route`
    var ipv4Routes: String { host.join("proc/net/route") }
    /// `/proc/net/ipv6_route`
    var ipv6Routes: String { host.join("proc/net/ipv6_route") }
    /// `/proc/net/if_inet6`
    var ipv6Addresses: String { host.join("proc/net/if_inet6") }
    /// `/proc/sys/kernel/osrelease`
    var osRelease: String { host.join("proc/sys/kernel/osrelease") }
    /// `/lib/modules/RELEASE/modules.alias`, for a release read from `osrelease`.
    func modulesAlias(release: String) -> String { host.join("lib/modules/" + release + "/modules.alias") }
    /// `/sys/class/block`
    var blockClass: String { host.join("sys/class/block") }
    /// `/sys/class/net`
    var netClass: String { host.join("sys/class/net") }
    /// `/sys/class/vtconsole`
    var vtConsoleClass: String { host.join("sys/class/vtconsole") }
    /// `/sys/bus/pci/drivers_probe`
    var driversProbe: String { host.join("sys/bus/pci/drivers_probe") }
    /// `/sys/bus/pci/devices/DDDD:BB:DD.F/driver_override`
    func driverOverride(_ address: PCIAddress) -> String { sysfs.device(address) + "/driver_override" }
    /// `/sys/bus/pci/drivers/NAME/bind`
    func bind(_ driver: DriverName) -> String { sysfs.driver(driver) + "/bind" }
    /// `/sys/bus/pci/drivers/NAME/unbind`
    func unbind(_ driver: DriverName) -> String { sysfs.driver(driver) + "/unbind" }
    /// `/sys/bus/pci/devices/DDDD:BB:DD.F/boot_vga`
    func bootVGA(_ address: PCIAddress) -> String { sysfs.device(address) + "/boot_vga" }
    /// `STATE/lock`
    var lock: String { state + "/lock" }
    /// `STATE/group-N.json`, the journal of one group's claim.
    func journal(_ group: IOMMUGroupID) -> String { state + "/group-\(group).json" }
}
