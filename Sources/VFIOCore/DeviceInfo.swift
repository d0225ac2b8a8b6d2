import CVFIO

/// The flags of `struct vfio_device_info`.
public struct DeviceFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The device supports `VFIO_DEVICE_RESET`.
    public static let reset = DeviceFlags(rawValue: CVFIO_DEVICE_FLAGS_RESET)
    public static let pci = DeviceFlags(rawValue: CVFIO_DEVICE_FLAGS_PCI)
    public static let platform = DeviceFlags(rawValue: CVFIO_DEVICE_FLAGS_PLATFORM)
    public static let amba = DeviceFlags(rawValue: CVFIO_DEVICE_FLAGS_AMBA)
    public static let ccw = DeviceFlags(rawValue: CVFIO_DEVICE_FLAGS_CCW)
    public static let ap = DeviceFlags(rawValue: CVFIO_DEVICE_FLAGS_AP)
    public static let fslMC = DeviceFlags(rawValue: CVFIO_DEVICE_FLAGS_FSL_MC)
    /// The reply carries a capability chain.
    public static let caps = DeviceFlags(rawValue: CVFIO_DEVICE_FLAGS_CAPS)
    public static let cdx = DeviceFlags(rawValue: CVFIO_DEVICE_FLAGS_CDX)
}

/// What a VFIO device reports about itself.
/// The corresponding ioctl is `VFIO_DEVICE_GET_INFO`.
public struct DeviceInfo: Hashable, Sendable {
    public let flags: DeviceFlags
    /// Region indexes run from 0 to `regionCount - 1` (vfio-pci: 9 plus device-specific ones).
    public let regionCount: UInt32
    /// IRQ indexes run from 0 to `irqCount - 1` (vfio-pci: 5).
    public let irqCount: UInt32
    public let capabilities: [VFIOCapability]
    /// The PCI_ATOMIC_COMP capability's flags (32-bit 1, 64-bit 2, 128-bit 4), when present.
    public let pciAtomicCompleter: UInt32?
    public let problems: [String]

    /// Decodes a reply buffer that starts with `struct vfio_device_info`.
    public init(decoding buffer: [UInt8]) {
        let infoSize = MemoryLayout<vfio_device_info>.size
        var problems: [String] = []
        let flags = DeviceFlags(rawValue: buffer.load(UInt32.self, at: fieldOffset(\vfio_device_info.flags)) ?? 0)
        self.flags = flags
        regionCount = buffer.load(UInt32.self, at: fieldOffset(\vfio_device_info.num_regions)) ?? 0
        irqCount = buffer.load(UInt32.self, at: fieldOffset(\vfio_device_info.num_irqs)) ?? 0
        if buffer.count < fieldOffset(\vfio_device_info.cap_offset) {
            problems.append("reply is \(buffer.count) bytes, shorter than the device info struct")
        }
        let capOffset = flags.contains(.caps)
            ? buffer.load(UInt32.self, at: fieldOffset(\vfio_device_info.cap_offset)) ?? 0 : 0
        let chain = CapabilityChain(buffer: buffer, firstOffset: capOffset, infoSize: infoSize)
        if let problem = chain.problem { problems.append(problem) }
        capabilities = chain.capabilities
        pciAtomicCompleter = chain.first(CVFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP)?.field(
            UInt32.self, at: fieldOffset(\vfio_device_info_cap_pci_atomic_comp.flags))
        self.problems = problems
    }
}
