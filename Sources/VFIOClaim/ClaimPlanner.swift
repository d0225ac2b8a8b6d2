import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// Decides, per member of a group, what a claim does: endpoints move to the
/// target driver; bridges, pci-stub and members already on a VFIO driver stay.
public struct ClaimPlanner: Sendable {
    let paths: HostPaths
    let choice: DriverChoice
    private let aliases: ModulesAlias?

    public init(paths: HostPaths, choice: DriverChoice) {
        self.paths = paths
        self.choice = choice
        aliases = choice == .auto ? ModulesAlias.load(paths) : nil
    }

    /// The plan for one group. Fails when the driver an endpoint needs is not loaded.
    public func plan(_ group: IOMMUGroup) throws(ClaimError) -> GroupPlan {
        var devices: [DevicePlan] = []
        for device in group.devices {
            devices.append(try plan(device))
        }
        return GroupPlan(group: group.id, devices: devices)
    }

    private func plan(_ device: PCIDevice) throws(ClaimError) -> DevicePlan {
        func keep(_ action: DevicePlan.Action) -> DevicePlan {
            DevicePlan(address: device.address, driver: device.driver, driverOverride: device.driverOverride,
                       action: action, target: nil, targetSource: nil, writes: [])
        }
        if device.driver?.isVFIO == true { return keep(.keepVFIO) }
        if device.isBridge { return keep(.keepBridge) }
        if device.driver?.rawValue == "pci-stub" || device.driver?.rawValue == "pci_stub" { return keep(.keepStub) }

        let (target, source) = try targetDriver(device)
        let address = device.address
        var writes: [SysfsWrite] = []
        if device.driverOverride != target.rawValue {
            writes.append(SysfsWrite(device: address, path: paths.driverOverride(address), value: target.rawValue))
        }
        if let driver = device.driver {
            writes.append(SysfsWrite(device: address, path: paths.unbind(driver), value: address.description))
        }
        writes.append(SysfsWrite(device: address, path: paths.root.driversProbe, value: address.description))
        return DevicePlan(address: address, driver: device.driver, driverOverride: device.driverOverride,
                          action: .bind, target: target, targetSource: source, writes: writes)
    }

    /// The driver for an endpoint and why; it must be registered under `/sys/bus/pci/drivers`.
    private func targetDriver(_ device: PCIDevice) throws(ClaimError) -> (DriverName, String) {
        let name: DriverName
        let source: String
        switch choice {
        case .named(let driver):
            (name, source) = (driver, "--driver \(driver)")
        case .auto:
            if let aliases, let match = aliases.match(device), let module = DriverName(rawValue: match.module) {
                (name, source) = (module, "\(aliases.path): \(match.alias)")
            } else {
                (name, source) = (DriverChoice.vfioPCI, aliases.map { "no vfio_pci alias in \($0.path) matches" }
                    ?? "no modules.alias for the running kernel")
            }
        }
        guard let registered = registeredSpelling(name) else {
            throw ClaimError(.unavailable, code: "driver-not-loaded",
                             "\(device.address) needs \(name) (\(source)), but no such driver is registered: "
                                 + "\(paths.root.driver(name)) does not exist; load it with modprobe \(name)",
                             path: paths.root.driver(name), errno: Errno(rawValue: ENOENT), device: device.address.description)
        }
        return (registered, source)
    }

    /// The driver's name as sysfs spells it: module names use `_` where driver names may use `-`.
    private func registeredSpelling(_ name: DriverName) -> DriverName? {
        let spellings = [name.rawValue, name.rawValue.replacing("_", with: "-"), name.rawValue.replacing("-", with: "_")]
        return spellings.compactMap(DriverName.init(rawValue:)).first { FileSystem.exists(paths.root.driver($0)) }
    }
}
