import VFIOSysfs

/// What a claim does with one member of a group, and the writes that do it.
public struct DevicePlan: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable {
        /// Moved to the target driver: `driver_override`, `unbind`, `drivers_probe`.
        case bind
        /// Already on vfio-pci or a variant driver.
        case keepVFIO = "keep-vfio"
        /// A bridge: vfio-pci refuses bridges, and pcieport (or no driver) keeps the group viable.
        case keepBridge = "keep-bridge"
        /// On pci-stub, which does no DMA.
        case keepStub = "keep-stub"
    }

    public let address: PCIAddress
    /// The driver now (the `driver` link), nil when unbound.
    public let driver: DriverName?
    /// `driver_override` now, nil when `(null)`.
    public let driverOverride: String?
    public let action: Action
    /// The driver it moves to, for `bind`.
    public let target: DriverName?
    /// Why the target was chosen, e.g. `modules.alias: vfio_pci:v000015B3d0000101E…`.
    public let targetSource: String?
    public let writes: [SysfsWrite]
}

/// A claim of one group: every member's plan, in address order.
public struct GroupPlan: Hashable, Sendable {
    public let group: IOMMUGroupID
    public let devices: [DevicePlan]

    /// Every write, in the order they are made.
    public var writes: [SysfsWrite] { devices.flatMap(\.writes) }
}
