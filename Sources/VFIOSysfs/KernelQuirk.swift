/// The device quirks of drivers/pci/quirks.c (as of Linux 6.6) that change how
/// the kernel groups devices and that vfioadm models. The kernel has more (ACS
/// quirks for Intel PCH, AMD southbridge, Cavium, Qualcomm, NXP, Ampere and
/// Zhaoxin root ports, among others): the check of vfioadm's prediction
/// against the kernel's groups reports where one of those made the difference.
public enum KernelQuirk: Hashable, Sendable {
    /// `pci_quirk_mf_endpoint_acs`: the vendor states that this multifunction
    /// device's functions cannot reach each other, so each counts as isolated.
    case isolatedFunctions
    /// `pci_quirk_rciep_acs`: Intel root-complex integrated endpoints count as isolated.
    case intelIntegratedEndpoint
    /// `quirk_dma_func0_alias` / `quirk_dma_func1_alias`: the device also
    /// issues DMA with the requester ID of this function of its own slot.
    case dmaAlias(function: UInt8)

    /// The quirk's function name in drivers/pci/quirks.c.
    public var kernelName: String {
        switch self {
        case .isolatedFunctions: "pci_quirk_mf_endpoint_acs"
        case .intelIntegratedEndpoint: "pci_quirk_rciep_acs"
        case .dmaAlias(let function): "quirk_dma_func\(function)_alias"
        }
    }

    /// The ACS quirk the kernel consults before reading a function's ACS
    /// capability (`pci_dev_specific_acs_enabled`), if vfioadm knows it.
    public static func acs(vendor: UInt16?, device: UInt16?, kind: FunctionKind) -> KernelQuirk? {
        guard let vendor, let device else { return nil }
        if isolatedFunctionIDs[vendor]?.contains(device) == true { return .isolatedFunctions }
        if vendor == intel, kind == .integratedEndpoint { return .intelIntegratedEndpoint }
        return nil
    }

    /// The function of the same slot whose requester ID this function's DMA
    /// also carries, per the DMA-alias quirks; nil when none applies.
    public static func dmaAliasFunction(vendor: UInt16?, device: UInt16?, function: UInt8) -> UInt8? {
        guard let vendor, let device else { return nil }
        if func0Aliases[vendor]?.contains(device) == true, function != 0 { return 0 }
        if func1Aliases[vendor]?.contains(device) == true, function != 1 { return 1 }
        return nil
    }

    private static let intel: UInt16 = 0x8086

    /// `pci_dev_acs_enabled[]` entries that use `pci_quirk_mf_endpoint_acs`:
    /// Solarflare, Intel Ethernet controllers, Emulex, Cavium, Broadcom, Zhaoxin.
    private static let isolatedFunctionIDs: [UInt16: Set<UInt16>] = [
        0x1924: [0x0903, 0x0923, 0x0A03],
        0x8086: [
            0x10C6, 0x10DB, 0x10DD, 0x10E1, 0x10F1, 0x10F7, 0x10F8, 0x10F9, 0x10FA, 0x10FB, 0x10FC,
            0x1507, 0x1514, 0x151C, 0x1529, 0x152A, 0x154D, 0x154F, 0x1551, 0x1558,
            0x1509, 0x150E, 0x150F, 0x1510, 0x1511, 0x1516, 0x1527,
            0x10C9, 0x10E6, 0x10E7, 0x10E8, 0x150A, 0x150D, 0x1518, 0x1526,
            0x10A7, 0x10A9, 0x10D6, 0x1521, 0x1522, 0x1523, 0x1524,
            0x105E, 0x105F, 0x1060, 0x10D9, 0x15B7, 0x15B8,
        ],
        0x19A2: [0x0710],
        0x10DF: [0x0720],
        0x177D: [0xA026, 0xA059, 0xA060],
        0x14E4: [0x16D7, 0x1750, 0x1751, 0x1752],
        0x1D17: [0x3038, 0x3104, 0x9083],
    ]

    /// `quirk_dma_func0_alias`: Ricoh.
    private static let func0Aliases: [UInt16: Set<UInt16>] = [
        0x1180: [0xE832, 0xE476],
    ]

    /// `quirk_dma_func1_alias`: Marvell SATA controllers, HighPoint (TTI),
    /// JMicron JMB388 eSD, Lite-On (Plextor M6e).
    private static let func1Aliases: [UInt16: Set<UInt16>] = [
        0x1B4B: [0x9120, 0x9123, 0x9125, 0x9128, 0x9130, 0x9170, 0x9172, 0x917A, 0x9182, 0x9183, 0x91A0,
                 0x9215, 0x9220, 0x9230, 0x9235],
        0x1103: [0x0642, 0x0645],
        0x197B: [0x2392],
        0x1C28: [0x0122],
    ]
}
