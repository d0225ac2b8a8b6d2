/// Something that makes taking a group unsafe or impossible, found before any write.
public struct Hazard: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case mountedFileSystem = "mounted-filesystem"
        case swap
        case blockHolder = "block-holder"
        case networkInterface = "network-interface"
        case bootConsole = "boot-console"
        case openNode = "open-node"
        case sriovVFs = "sriov-vfs"
        /// A firmware `direct` region: the kernel itself refuses the group (EINVAL).
        case directRegion = "direct-region"
        /// A bridge on a kernel DMA driver: vfio-pci cannot take bridges.
        case bridgeDriver = "bridge-driver"
        /// A member that is not a PCI function, on a kernel DMA driver.
        case nonPCIMember = "non-pci-member"
    }

    public let kind: Kind
    /// The member concerned, when there is one.
    public let device: String?
    public let message: String
    public let fix: String

    public init(_ kind: Kind, device: String?, _ message: String, fix: String) {
        self.kind = kind
        self.device = device
        self.message = message
        self.fix = fix
    }

    /// Whether `--force` may override it; the last three the kernel or vfio-pci would refuse anyway.
    public var overridable: Bool {
        switch self.kind {
        case .directRegion, .bridgeDriver, .nonPCIMember: false
        default: true
        }
    }

    enum CodingKeys: String, CodingKey { case kind, device, message, fix, overridable }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        device = try container.decodeIfPresent(String.self, forKey: .device)
        message = try container.decode(String.self, forKey: .message)
        fix = try container.decode(String.self, forKey: .fix)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(device, forKey: .device)
        try container.encode(message, forKey: .message)
        try container.encode(fix, forKey: .fix)
        try container.encode(overridable, forKey: .overridable)
    }
}
