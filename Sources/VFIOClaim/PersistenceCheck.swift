import LinuxSystem
import VFIOCore
import VFIOHost
import VFIOSysfs

/// `doctor`'s word on the persistent claims: whether the boot path is
/// installed and enabled, and which listed devices a built-in driver takes
/// before the udev rule can keep it off.
public struct PersistenceCheck: Sendable {
    let paths: HostPaths
    let boot: BootFiles
    /// The package's copies, which count when the admin's are absent.
    let packaged: BootFiles?

    public init(paths: HostPaths, boot: BootFiles, packaged: BootFiles? = nil) {
        self.paths = paths
        self.boot = boot
        self.packaged = packaged
    }

    /// No finding at all on a host without persistent claims.
    ///
    /// The corresponding files are `CONFIG/claims/*.conf`, the rule, the unit (the admin's in /etc,
    /// else the package's) and its `multi-user.target.wants` link, the journals, and the drivers' module state.
    public func run() -> [HostCheck] {
        let entries: [PersistentClaim]
        do { entries = try ClaimConfig(paths: paths).entries() } catch {
            return [HostCheck("persistent-claims", .fail, error.message, evidence: [.init(paths.claims, "invalid")],
                              fix: "correct or remove the file")]
        }
        guard !entries.isEmpty else { return [] }  // nothing persistent: nothing to say
        let rule = present(boot.rulePath, packaged?.rulePath)
        let unit = present(boot.unitPath, packaged?.unitPath)
        let enabled = boot.state.enabled
        let evidence: [Evidence] = [
            .init(paths.claims, "\(entries.count) entr\(entries.count == 1 ? "y" : "ies")"),
            .init(rule ?? boot.rulePath, rule == nil ? "missing" : "present"),
            .init(unit ?? boot.unitPath, unit == nil ? "missing" : "present"),
            .init(boot.wantsPath, enabled ? "enabled" : "not enabled"),
        ]
        var checks = [rule != nil && unit != nil && enabled
            ? HostCheck("persistent-claims", .pass, "\(entries.count) persistent claims; the udev rule and the "
                            + "vfioadm-apply unit are installed and enabled", evidence: evidence)
            : HostCheck("persistent-claims", .warn, "\(entries.count) persistent claims, but the boot path is not "
                            + "installed and enabled: they are not applied at boot", evidence: evidence,
                        fix: "vfioadm persist install, then udevadm control --reload and systemctl daemon-reload")]
        checks += builtInDrivers(entries)
        return checks
    }

    /// The admin's file, else the package's (which the admin's overrides), if either is there.
    private func present(_ admin: String, _ package: String?) -> String? {
        [admin, package].compactMap { $0 }.first(where: FileSystem.exists)
    }

    /// Listed devices whose original driver is built into the kernel: it binds
    /// at enumeration, before any udev rule, so only `apply --boot` can take
    /// the device, after the driver has touched it.
    private func builtInDrivers(_ entries: [PersistentClaim]) -> [HostCheck] {
        let reader = SysfsReader(root: paths.root)
        let journals = (try? JournalStore(paths: paths).all()) ?? []
        var findings: [HostCheck] = []
        for entry in entries {
            for member in entry.members {
                let original = journals.lazy.flatMap(\.members).first { $0.address == member.address }?.originalDriver
                    ?? (reader.deviceExists(member.address) ? reader.device(member.address).driver : nil)
                guard let driver = original, !driver.isVFIO, !driver.managesDMA else { continue }
                let module = KernelModule.find(driver.rawValue.replacing("-", with: "_"), root: paths.root)
                guard module.state == .builtIn else { continue }
                let ids = "\(zeroPaddedHex(member.vendor, 4)):\(zeroPaddedHex(member.device, 4))"
                let others = ((try? reader.deviceAddresses().get()) ?? []).map(reader.device).filter {
                    $0.vendorID == member.vendor && $0.deviceID == member.device && $0.address != member.address
                }
                let idsFix = others.isEmpty
                    ? "or add vfio-pci.ids=\(ids) to the kernel command line (no other device here has that ID)"
                    : "vfio-pci.ids=\(ids) would also take \(others.map(\.address.description).joined(separator: ", "))"
                findings.append(HostCheck(
                    "persistent-built-in-driver", .warn,
                    "\(member.address) (entry \(entry.name)) is taken at boot by \(driver), which is built into the "
                        + "kernel: the udev rule cannot keep it off, so apply --boot unbinds it afterwards",
                    evidence: [.init(module.evidence, "\(module.name) built-in")],
                    fix: "build \(driver) as a module (then softdep \(module.name) pre: vfio-pci in /etc/modprobe.d and "
                        + "update-initramfs -u), \(idsFix)"))
            }
        }
        return findings
    }
}
