import CVFIO

/// The flags of `struct vfio_irq_info`.
public struct IRQFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let eventfd = IRQFlags(rawValue: CVFIO_IRQ_INFO_EVENTFD)
    public static let maskable = IRQFlags(rawValue: CVFIO_IRQ_INFO_MASKABLE)
    public static let automasked = IRQFlags(rawValue: CVFIO_IRQ_INFO_AUTOMASKED)
    /// The vector count cannot change while enabled (all but dynamic MSI-X).
    public static let noResize = IRQFlags(rawValue: CVFIO_IRQ_INFO_NORESIZE)
}

/// A vfio-pci IRQ index: INTx 0, MSI 1, MSI-X 2, ERR 3, REQ 4.
public struct IRQIndex: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let intx = IRQIndex(rawValue: CVFIO_PCI_INTX_IRQ_INDEX)
    public static let msi = IRQIndex(rawValue: CVFIO_PCI_MSI_IRQ_INDEX)
    public static let msix = IRQIndex(rawValue: CVFIO_PCI_MSIX_IRQ_INDEX)
    public static let err = IRQIndex(rawValue: CVFIO_PCI_ERR_IRQ_INDEX)
    public static let req = IRQIndex(rawValue: CVFIO_PCI_REQ_IRQ_INDEX)

    public var description: String {
        switch rawValue {
        case CVFIO_PCI_INTX_IRQ_INDEX: "INTx"
        case CVFIO_PCI_MSI_IRQ_INDEX: "MSI"
        case CVFIO_PCI_MSIX_IRQ_INDEX: "MSI-X"
        case CVFIO_PCI_ERR_IRQ_INDEX: "ERR"
        case CVFIO_PCI_REQ_IRQ_INDEX: "REQ"
        default: "IRQ \(rawValue)"
        }
    }
}

/// One IRQ index of a device.
/// The corresponding ioctl is `VFIO_DEVICE_GET_IRQ_INFO`.
public struct IRQInfo: Hashable, Sendable {
    public let index: IRQIndex
    public let flags: IRQFlags
    /// Vectors available at this index; 0 when the device has none.
    public let count: UInt32
}
