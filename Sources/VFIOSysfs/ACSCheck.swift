/// Whether the kernel counts a function as isolated for the flags it needs
/// (SV RR CR UF), decided as `pci_acs_enabled` does: a known quirk first, then
/// the function's kind, then its ACS capability.
public enum ACSCheck: Hashable, Sendable {
    /// ACS is present and every needed flag it implements is on.
    case enabled
    /// A single-function endpoint or upstream port: the kernel asks no ACS of it.
    case notRequired
    /// A kernel quirk vouches for the function.
    case quirk(KernelQuirk)
    /// ACS is present but these needed flags are off.
    case flagsOff(ACSFlags)
    /// The function needs ACS (a downstream or root port, or one function of
    /// a multifunction device) and has no ACS capability.
    case noCapability
    /// The kernel never counts this kind as isolated: conventional PCI,
    /// PCIe-to-PCI and PCI-to-PCIe bridges, root-complex event collectors.
    case neverIsolates(FunctionKind)
    /// The PCI Express or ACS capability lies beyond the readable config bytes.
    case unreadable

    /// Nil when config space did not say.
    public var isolates: Bool? {
        switch self {
        case .enabled, .notRequired, .quirk: true
        case .flagsOff, .noCapability, .neverIsolates: false
        case .unreadable: nil
        }
    }

    /// A stable name for JSON.
    public var code: String {
        switch self {
        case .enabled: "acs-enabled"
        case .notRequired: "acs-not-required"
        case .quirk: "quirk"
        case .flagsOff: "acs-flags-off"
        case .noCapability: "no-acs-capability"
        case .neverIsolates: "never-isolates"
        case .unreadable: "unreadable"
        }
    }

    /// The check for one function.
    public static func of(_ function: PCIFunction) -> ACSCheck {
        if let quirk = KernelQuirk.acs(vendor: function.device.vendorID, device: function.device.deviceID,
                                       kind: function.kind) {
            return .quirk(quirk)
        }
        switch function.kind {
        case .unknown, .unreadableBridge:
            return .unreadable
        case .pciFunction, .pciBridge, .cardBusBridge, .pcieToPCIBridge, .pciToPCIeBridge, .eventCollector:
            return .neverIsolates(function.kind)
        case .downstreamPort, .rootPort:
            return flags(function.acs)
        case .pcieEndpoint, .upstreamPort, .legacyEndpoint, .integratedEndpoint:
            return function.isMultifunction ? flags(function.acs) : .notRequired
        case .otherPCIe:
            return .notRequired
        }
    }

    private static func flags(_ acs: ConfigLookup<ACSCapability>) -> ACSCheck {
        switch acs {
        case .found(let capability):
            let missing = capability.missing()
            return missing.isEmpty ? .enabled : .flagsOff(missing)
        case .absent: return .noCapability
        case .unreadable: return .unreadable
        }
    }
}

extension ACSCheck {
    /// A few words on the check for a sentence or a path line, e.g. `ACS SV RR CR UF on`.
    public func summary(_ acs: ConfigLookup<ACSCapability>) -> String {
        switch self {
        case .enabled:
            guard let capability = acs.value else { return "ACS on" }
            let on = capability.enabled.intersection(.isolation)
            let wired = ACSFlags.isolation.subtracting(capability.implemented)
            return "ACS \(on) on" + (wired.isEmpty ? "" : ", \(wired) not implemented (count as on)")
        case .notRequired: return "single function, needs no ACS"
        case .quirk(let quirk): return "isolated by kernel quirk \(quirk.kernelName)"
        case .flagsOff(let missing): return "ACS \(missing) off"
        case .noCapability: return "no ACS capability"
        case .neverIsolates(let kind):
            let what = switch kind {
            case .pcieToPCIBridge, .pciToPCIeBridge, .eventCollector: kind.name
            default: "conventional PCI"
            }
            return "never isolates: \(what)"
        case .unreadable: return "ACS unreadable"
        }
    }
}
