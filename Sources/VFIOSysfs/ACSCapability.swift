/// Access Control Services bits, the same in the ACS Capability and ACS
/// Control registers (the kernel's `PCI_ACS_*`).
public struct ACSFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Source Validation.
    public static let sourceValidation = ACSFlags(rawValue: 1 << 0)
    /// Translation Blocking.
    public static let translationBlocking = ACSFlags(rawValue: 1 << 1)
    /// P2P Request Redirect.
    public static let requestRedirect = ACSFlags(rawValue: 1 << 2)
    /// P2P Completion Redirect.
    public static let completionRedirect = ACSFlags(rawValue: 1 << 3)
    /// Upstream Forwarding.
    public static let upstreamForwarding = ACSFlags(rawValue: 1 << 4)
    /// P2P Egress Control.
    public static let egressControl = ACSFlags(rawValue: 1 << 5)
    /// Direct Translated P2P.
    public static let directTranslated = ACSFlags(rawValue: 1 << 6)

    /// What the kernel asks of every bridge on a path before it gives a device
    /// its own group: SV | RR | CR | UF = 0x1D (`REQ_ACS_FLAGS`, iommu.c).
    public static let isolation: ACSFlags = [.sourceValidation, .requestRedirect, .completionRedirect, .upstreamForwarding]

    private static let abbreviations: [(ACSFlags, String)] = [
        (.sourceValidation, "SV"), (.translationBlocking, "TB"), (.requestRedirect, "RR"),
        (.completionRedirect, "CR"), (.upstreamForwarding, "UF"), (.egressControl, "EC"),
        (.directTranslated, "DT"),
    ]

    /// The spec's abbreviations, in bit order: `["SV", "RR"]`.
    public var names: [String] { Self.abbreviations.filter { contains($0.0) }.map(\.1) }

    public var description: String { names.isEmpty ? "none" : names.joined(separator: " ") }
}

/// The ACS extended capability (ID 0x000D): the ACS Capability register (16
/// bits at +4) says what a port implements, ACS Control (16 bits at +6) what is on.
public struct ACSCapability: Hashable, Sendable {
    public static let id: UInt16 = 0x000D

    /// Offset of the capability header in config space (0x100 or above).
    public let offset: Int
    public let implemented: ACSFlags
    public let enabled: ACSFlags

    /// The flags of `required` that are off. A flag the port does not
    /// implement counts as on (it is hard-wired), except Egress Control, as in
    /// the kernel's `pci_acs_flags_enabled`.
    public func missing(_ required: ACSFlags = .isolation) -> ACSFlags {
        required.intersection(implemented.union(.egressControl)).subtracting(enabled)
    }

    public static func find(in config: ConfigSpace) -> ConfigLookup<ACSCapability> {
        switch config.extendedCapability(id) {
        case .found(let offset):
            guard let implemented = config.word(offset + 4), let enabled = config.word(offset + 6) else {
                return .unreadable
            }
            return .found(ACSCapability(offset: offset, implemented: ACSFlags(rawValue: implemented),
                                        enabled: ACSFlags(rawValue: enabled)))
        case .absent: return .absent
        case .unreadable: return .unreadable
        }
    }
}
