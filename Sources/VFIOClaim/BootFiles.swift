import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The boot path of the persistent claims: a udev rule that keeps a listed
/// device's native driver off it on `add` (its `driver_override`, before a
/// module driver can bind), and a oneshot unit, after udev has settled and
/// before the services that start VMs, that runs `vfioadm apply --boot`.
public struct BootFiles: Sendable {
    /// `/etc/udev/rules.d` by default: the admin's rules (packages use /usr/lib/udev/rules.d).
    public let udevDirectory: String
    /// `/etc/systemd/system` by default.
    public let unitDirectory: String

    public static let ruleName = "70-vfioadm.rules"
    public static let unitName = "vfioadm-apply.service"
    /// Where the Debian package ships the rule and the unit. A file of the same
    /// name in `/etc/udev/rules.d` or `/etc/systemd/system` overrides it, so a
    /// host with both runs one rule and one unit.
    public static let packageUdevDirectory = "/usr/lib/udev/rules.d"
    public static let packageUnitDirectory = "/lib/systemd/system"
    /// The binary the packaged files call.
    public static let packageBinary = "/usr/bin/vfioadm"

    public init(udevDirectory: String = "/etc/udev/rules.d", unitDirectory: String = "/etc/systemd/system") {
        self.udevDirectory = udevDirectory
        self.unitDirectory = unitDirectory
    }

    public var rulePath: String { udevDirectory + "/" + Self.ruleName }
    public var unitPath: String { unitDirectory + "/" + Self.unitName }
    /// The link that enables the unit.
    public var wantsPath: String { unitDirectory + "/multi-user.target.wants/" + Self.unitName }

    /// The rule: `vfioadm persist override` prints the driver for a listed
    /// device whose identity still matches, and udev writes it to `driver_override`.
    public static func rule(binary: String, config: String) -> String {
        """
        # vfioadm: keep the native driver off the devices of persistent claims until
        # vfioadm-apply.service claims their groups (or gives them back). Written by
        # vfioadm persist install; the vfioadm package ships it in /usr/lib/udev/rules.d,
        # where a file of this name in /etc/udev/rules.d overrides it.
        ACTION=="add", SUBSYSTEM=="pci", PROGRAM="\(binary) persist override %k --config-dir \(config)", \
        ATTR{driver_override}="%c"

        """
    }

    public static func unit(binary: String, config: String) -> String {
        """
        # Written by vfioadm persist install; the vfioadm package ships it in
        # /lib/systemd/system, where a file of this name in /etc/systemd/system overrides it.
        [Unit]
        Description=Claim the IOMMU groups listed in \(config) for VFIO
        Documentation=man:vfioadm(1)
        DefaultDependencies=no
        After=systemd-udev-settle.service systemd-udev-trigger.service local-fs.target
        Wants=systemd-udev-settle.service
        Before=libvirtd.service libvirt-guests.service multi-user.target shutdown.target
        Conflicts=shutdown.target

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        ExecStart=\(binary) apply --boot --config-dir \(config)

        [Install]
        WantedBy=multi-user.target

        """
    }

    /// Writes the rule and the unit and, with `enable`, enables the unit; returns the files written.
    ///
    /// The corresponding files are the rule, the unit, and the `multi-user.target.wants` link.
    public func install(binary: String, config: String, enable: Bool = true) throws(ClaimError) -> [String] {
        try FileSystem.makeDirectories(udevDirectory, mode: 0o755).claimed(code: "install")
        try FileSystem.replace(rulePath, with: Array(Self.rule(binary: binary, config: config).utf8), mode: 0o644)
            .claimed(code: "install")
        try FileSystem.makeDirectories(unitDirectory, mode: 0o755).claimed(code: "install")
        try FileSystem.replace(unitPath, with: Array(Self.unit(binary: binary, config: config).utf8), mode: 0o644)
            .claimed(code: "install")
        guard enable else { return [rulePath, unitPath] }
        try FileSystem.makeDirectories(unitDirectory + "/multi-user.target.wants", mode: 0o755).claimed(code: "install")
        if !FileSystem.exists(wantsPath), case .failure(let errno) = FileSystem.makeLink(wantsPath, target: "../" + Self.unitName) {
            throw ClaimError(.failed, code: "install", "cannot link \(wantsPath): \(errno)", path: wantsPath, errno: errno)
        }
        return [rulePath, unitPath, wantsPath]
    }

    /// Whether the rule and the unit are there and the unit is enabled.
    public var state: (rule: Bool, unit: Bool, enabled: Bool) {
        (FileSystem.exists(rulePath), FileSystem.exists(unitPath), FileSystem.exists(wantsPath))
    }

    /// The path of the running binary, which the rule and the unit call.
    ///
    /// The corresponding file is `/proc/self/exe`.
    public static var runningBinary: String { realPath("/proc/self/exe") ?? "/usr/bin/vfioadm" }
}

/// What the udev rule asks: the driver to hold a device for, if it is listed
/// in a persistent claim and is still the device recorded. Bridges are never
/// held (vfio-pci does not take them).
public struct OverrideQuery: Sendable {
    let paths: HostPaths

    public init(paths: HostPaths) {
        self.paths = paths
    }

    /// The corresponding files are the entries, and the device's IDs, `config` and header type.
    public func driver(for address: PCIAddress) throws(ClaimError) -> String? {
        let reader = SysfsReader(root: paths.root)
        guard reader.deviceExists(address),
              let entry = try ClaimConfig(paths: paths).entries().first(where: { $0.members.contains { $0.address == address } }),
              let member = entry.members.first(where: { $0.address == address })
        else { return nil }
        let device = reader.device(address)
        guard !device.isBridge, EntryCheck.identityProblem(member, device, root: paths.root) == nil else { return nil }
        return entry.heldDriver
    }
}
