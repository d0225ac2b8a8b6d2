/// The Device/Port Type of a PCI Express function (bits 7:4 of the PCI Express
/// Capabilities register), the kernel's `PCI_EXP_TYPE_*`.
public enum PCIePortType: UInt8, Hashable, Sendable, CaseIterable {
    case endpoint = 0x0
    case legacyEndpoint = 0x1
    case rootPort = 0x4
    case upstreamPort = 0x5
    case downstreamPort = 0x6
    case pcieToPCIBridge = 0x7
    case pciToPCIeBridge = 0x8
    case rootComplexIntegratedEndpoint = 0x9
    case rootComplexEventCollector = 0xA
}

/// The PCI Express capability (ID 0x10): where it is and what kind of function it makes.
public struct PCIeCapability: Hashable, Sendable {
    public static let id: UInt8 = 0x10

    /// Offset of the capability in config space.
    public let offset: Int
    /// Bits 7:4 of the PCI Express Capabilities register (offset +2).
    public let rawPortType: UInt8
    /// Nil for a value the specification does not define.
    public var portType: PCIePortType? { PCIePortType(rawValue: rawPortType) }

    public init(offset: Int, rawPortType: UInt8) {
        self.offset = offset
        self.rawPortType = rawPortType
    }

    /// Looks the capability up: absent means a conventional PCI function.
    public static func find(in config: ConfigSpace) -> ConfigLookup<PCIeCapability> {
        switch config.capability(id) {
        case .found(let offset):
            guard let flags = config.word(offset + 2) else { return .unreadable }
            return .found(PCIeCapability(offset: offset, rawPortType: UInt8((flags >> 4) & 0xF)))
        case .absent: return .absent
        case .unreadable: return .unreadable
        }
    }
}

/// What a function is, in the terms the kernel's grouping rules use: its PCIe
/// port type, or the header layout of a conventional PCI function.
public enum FunctionKind: String, Hashable, Sendable {
    case rootPort = "root-port"
    case upstreamPort = "upstream-port"
    case downstreamPort = "downstream-port"
    case pcieToPCIBridge = "pcie-to-pci-bridge"
    case pciToPCIeBridge = "pci-to-pcie-bridge"
    case pcieEndpoint = "pcie-endpoint"
    case legacyEndpoint = "legacy-endpoint"
    case integratedEndpoint = "rc-integrated-endpoint"
    case eventCollector = "rc-event-collector"
    case otherPCIe = "pcie-other"
    /// A conventional PCI-to-PCI bridge (type 1 header, no PCI Express capability).
    case pciBridge = "pci-bridge"
    case cardBusBridge = "cardbus-bridge"
    /// A conventional PCI function (type 0 header, no PCI Express capability).
    case pciFunction = "pci-function"
    /// A bridge (type 1 or 2 header) whose PCI Express capability lies beyond the readable bytes.
    case unreadableBridge = "bridge-unreadable"
    /// A function whose PCI Express capability lies beyond the readable bytes.
    case unknown

    public init(pcie: ConfigLookup<PCIeCapability>, headerLayout: UInt8?) {
        switch pcie {
        case .found(let capability):
            self = switch capability.portType {
            case .rootPort: .rootPort
            case .upstreamPort: .upstreamPort
            case .downstreamPort: .downstreamPort
            case .pcieToPCIBridge: .pcieToPCIBridge
            case .pciToPCIeBridge: .pciToPCIeBridge
            case .endpoint: .pcieEndpoint
            case .legacyEndpoint: .legacyEndpoint
            case .rootComplexIntegratedEndpoint: .integratedEndpoint
            case .rootComplexEventCollector: .eventCollector
            case nil: .otherPCIe
            }
        case .absent:
            self = switch headerLayout {
            case 1: .pciBridge
            case 2: .cardBusBridge
            default: .pciFunction
            }
        case .unreadable:
            self = headerLayout == 1 || headerLayout == 2 ? .unreadableBridge : .unknown
        }
    }

    /// A port or bridge: something other functions sit below.
    public var isBridge: Bool {
        switch self {
        case .rootPort, .upstreamPort, .downstreamPort, .pcieToPCIBridge, .pciToPCIeBridge, .pciBridge, .cardBusBridge,
             .unreadableBridge:
            true
        default: false
        }
    }

    /// Words for a sentence: `root port`, `PCIe-to-PCI bridge`.
    public var name: String {
        switch self {
        case .rootPort: "root port"
        case .upstreamPort: "switch upstream port"
        case .downstreamPort: "switch downstream port"
        case .pcieToPCIBridge: "PCIe-to-PCI bridge"
        case .pciToPCIeBridge: "PCI-to-PCIe bridge"
        case .pcieEndpoint: "PCIe endpoint"
        case .legacyEndpoint: "legacy PCIe endpoint"
        case .integratedEndpoint: "root-complex integrated endpoint"
        case .eventCollector: "root-complex event collector"
        case .otherPCIe: "PCIe function"
        case .pciBridge: "PCI-to-PCI bridge"
        case .cardBusBridge: "CardBus bridge"
        case .pciFunction: "conventional PCI function"
        case .unreadableBridge: "bridge of unreadable type"
        case .unknown: "function of unreadable type"
        }
    }
}
