import LinuxSystem
import VFIOSysfs

/// Where a claim reads the host's state and keeps its own: the host root
/// (sysfs and procfs under `/` or a test tree, device nodes under theirs),
/// and the state directory with the journals and the lock.
public struct HostPaths: Sendable {
    public let root: HostRoot
    /// The state directory, `/run/vfioadm` by default.
    public let state: String
    /// The config directory of the persistent claims, `/etc/vfioadm` by default.
    public let config: String

    public init(root: HostRoot = HostRoot(), state: String = HostRoot().run + "/vfioadm",
                config: String = "/etc/vfioadm") {
        self.root = root
        self.state = RootDirectory(state).path
        self.config = RootDirectory(config).path
    }

    /// `/sys/bus/pci/devices/DDDD:BB:DD.F/driver_override`
    func driverOverride(_ address: PCIAddress) -> String { root.device(address) + "/driver_override" }
    /// `/sys/bus/pci/drivers/NAME/bind`
    func bind(_ driver: DriverName) -> String { root.driver(driver) + "/bind" }
    /// `/sys/bus/pci/drivers/NAME/unbind`
    func unbind(_ driver: DriverName) -> String { root.driver(driver) + "/unbind" }
    /// `/sys/bus/pci/devices/DDDD:BB:DD.F/boot_vga`
    func bootVGA(_ address: PCIAddress) -> String { root.device(address) + "/boot_vga" }
    /// `STATE/lock`
    var lock: String { state + "/lock" }
    /// `CONFIG/claims`, one `ADDRESS.conf` per persistent claim.
    var claims: String { config + "/claims" }
    /// `CONFIG/claims/NAME.conf`
    func claim(_ name: String) -> String { claims + "/" + name + ".conf" }
    /// `CONFIG/sriov`, one `PF.conf` per persistent VF count.
    var sriovEntries: String { config + "/sriov" }
    /// `CONFIG/sriov/PF.conf`
    func sriovEntry(_ name: String) -> String { sriovEntries + "/" + name + ".conf" }
    /// `STATE/apply.json`, what the last `apply` skipped and why.
    var applyRecord: String { state + "/apply.json" }
    /// `STATE/group-N.json`, the journal of one group's claim.
    func journal(_ group: IOMMUGroupID) -> String { state + "/group-\(group).json" }
}
