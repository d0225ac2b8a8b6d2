import CVFIO

/// `iommu_hw_info.out_capabilities`.
public struct HardwareCapabilities: OptionSet, Hashable, Sendable {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// HWPTs can be allocated with dirty tracking.
    public static let dirtyTracking = HardwareCapabilities(rawValue: CVFIO_IOMMU_HW_CAP_DIRTY_TRACKING)
    public static let pasidExec = HardwareCapabilities(rawValue: CVFIO_IOMMU_HW_CAP_PCI_PASID_EXEC)
    public static let pasidPriv = HardwareCapabilities(rawValue: CVFIO_IOMMU_HW_CAP_PCI_PASID_PRIV)
}

/// What the IOMMU behind a device is: its type and driver-specific registers,
/// decoded for Intel VT-d, raw for the others.
/// The corresponding ioctl is `IOMMU_GET_HW_INFO`.
public struct HardwareInfo: Hashable, Sendable {
    /// `out_data_type`: NONE 0, INTEL_VTD 1, ARM_SMMUV3 2, TEGRA241_CMDQV 3.
    public let dataType: UInt32
    /// The driver-specific data, as long as the kernel's `data_len`.
    public let data: [UInt8]
    public let capabilities: HardwareCapabilities
    /// log2 of the PASID count the device supports; 0 without PASID.
    public let maxPASIDLog2: UInt8

    /// `intel-vtd`, `arm-smmuv3`, `tegra241-cmdqv`, `none` or `type N`.
    public var typeName: String {
        switch dataType {
        case CVFIO_IOMMU_HW_INFO_TYPE_NONE: "none"
        case CVFIO_IOMMU_HW_INFO_TYPE_INTEL_VTD: "intel-vtd"
        case CVFIO_IOMMU_HW_INFO_TYPE_ARM_SMMUV3: "arm-smmuv3"
        case CVFIO_IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV: "tegra241-cmdqv"
        default: "type \(dataType)"
        }
    }

    /// The VT-d registers (`struct iommu_hw_info_vtd`), for an Intel IOMMU.
    public var vtd: VTdRegisters? {
        guard dataType == CVFIO_IOMMU_HW_INFO_TYPE_INTEL_VTD,
              let flags = data.load(UInt32.self, at: fieldOffset(\iommu_hw_info_vtd.flags)),
              let cap = data.load(UInt64.self, at: fieldOffset(\iommu_hw_info_vtd.cap_reg)),
              let ecap = data.load(UInt64.self, at: fieldOffset(\iommu_hw_info_vtd.ecap_reg))
        else { return nil }
        return VTdRegisters(flags: flags, cap: cap, ecap: ecap)
    }

    /// The SMMUv3 ID registers (`struct iommu_hw_info_arm_smmuv3`), raw.
    public var smmuv3: SMMUv3Registers? {
        let idrOffset = MemoryLayout<UInt32>.size * 2
        guard dataType == CVFIO_IOMMU_HW_INFO_TYPE_ARM_SMMUV3,
              let iidr = data.load(UInt32.self, at: fieldOffset(\iommu_hw_info_arm_smmuv3.iidr)),
              let aidr = data.load(UInt32.self, at: fieldOffset(\iommu_hw_info_arm_smmuv3.aidr))
        else { return nil }
        let idr = (0..<6).compactMap { data.load(UInt32.self, at: idrOffset + $0 * 4) }
        return SMMUv3Registers(idr: idr, iidr: iidr, aidr: aidr)
    }
}

/// Arm SMMUv3 identification registers, undecoded.
public struct SMMUv3Registers: Hashable, Sendable {
    /// IDR0–IDR5.
    public let idr: [UInt32]
    public let iidr: UInt32
    public let aidr: UInt32
}

/// Intel VT-d capability (CAP_REG) and extended capability (ECAP_REG)
/// registers, with the fields an administrator asks about decoded. Bit
/// positions are those of the VT-d specification.
public struct VTdRegisters: Hashable, Sendable {
    /// `iommu_hw_info_vtd.flags` (ERRATA_772415_SPR17 = 1).
    public let flags: UInt32
    public let cap: UInt64
    public let ecap: UInt64

    public init(flags: UInt32, cap: UInt64, ecap: UInt64) {
        self.flags = flags
        self.cap = cap
        self.ecap = ecap
    }

    private func bit(_ register: UInt64, _ position: UInt64) -> Bool { (register >> position) & 1 != 0 }

    /// The SPR17 erratum: read-only mappings of second-stage tables must not be used.
    public var errata772415: Bool { flags & CVFIO_IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17 != 0 }

    // CAP_REG

    /// ND, bits 2:0: domain IDs supported, 2^(4 + 2·ND).
    public var domainCount: UInt64 { 1 << (4 + 2 * (cap & 0x7)) }
    /// RWBF, bit 4: the write buffer must be flushed explicitly.
    public var requiresWriteBufferFlush: Bool { bit(cap, 4) }
    /// CM, bit 7: caching mode, set by emulated IOMMUs (QEMU's intel-iommu).
    public var cachingMode: Bool { bit(cap, 7) }
    /// SAGAW, bits 12:8: the second-stage address widths supported, in bits
    /// (bit 0 = 30-bit 2-level, 1 = 39-bit 3-level, 2 = 48-bit 4-level, 3 = 57-bit 5-level, 4 = 64-bit).
    public var supportedAddressWidths: [Int] {
        [30, 39, 48, 57, 64].enumerated().filter { bit(cap, 8 + UInt64($0.offset)) }.map(\.element)
    }
    /// MGAW, bits 21:16: the largest guest address width, in bits.
    public var maxGuestAddressWidth: Int { Int((cap >> 16) & 0x3f) + 1 }
    /// ZLR, bit 22: zero-length reads are supported.
    public var zeroLengthRead: Bool { bit(cap, 22) }
    /// SLLPS, bits 37:34: second-stage large pages, in bytes (2 MiB, 1 GiB).
    public var secondStageLargePages: [UInt64] {
        [UInt64(1) << 21, UInt64(1) << 30].enumerated().filter { bit(cap, 34 + UInt64($0.offset)) }.map(\.element)
    }
    /// PSI, bit 39: page-selective IOTLB invalidation.
    public var pageSelectiveInvalidation: Bool { bit(cap, 39) }
    /// NFR, bits 47:40: fault recording registers.
    public var faultRecordCount: Int { Int((cap >> 40) & 0xff) + 1 }
    /// MAMV, bits 53:48: the largest address mask of a page-selective invalidation.
    public var maxAddressMaskValue: Int { Int((cap >> 48) & 0x3f) }
    /// FL1GP, bit 56: first-stage 1 GiB pages.
    public var firstStage1GiBPages: Bool { bit(cap, 56) }
    /// PI, bit 59: posted interrupts.
    public var postedInterrupts: Bool { bit(cap, 59) }
    /// FL5LP, bit 60: first-stage 5-level paging.
    public var firstStage5LevelPaging: Bool { bit(cap, 60) }

    // ECAP_REG

    /// C, bit 0: page walks snoop the CPU caches.
    public var coherentPageWalk: Bool { bit(ecap, 0) }
    /// QI, bit 1: queued invalidation.
    public var queuedInvalidation: Bool { bit(ecap, 1) }
    /// DT, bit 2: device TLBs (ATS).
    public var deviceTLB: Bool { bit(ecap, 2) }
    /// IR, bit 3: interrupt remapping, which isolates MSIs.
    public var interruptRemapping: Bool { bit(ecap, 3) }
    /// EIM, bit 4: extended (x2APIC) interrupt mode.
    public var extendedInterruptMode: Bool { bit(ecap, 4) }
    /// PT, bit 6: pass-through translation.
    public var passThrough: Bool { bit(ecap, 6) }
    /// SC, bit 7: snoop control (forces cache-coherent DMA).
    public var snoopControl: Bool { bit(ecap, 7) }
    /// NEST, bit 26: nested translation.
    public var nested: Bool { bit(ecap, 26) }
    /// PRS, bit 29: page requests (PRI).
    public var pageRequests: Bool { bit(ecap, 29) }
    /// PASID, bit 40.
    public var pasid: Bool { bit(ecap, 40) }
    /// PSS, bits 39:35: PASID width in bits; nil without PASID support.
    public var pasidWidth: Int? { pasid ? Int((ecap >> 35) & 0x1f) + 1 : nil }
    /// SMTS, bit 43: scalable-mode translation.
    public var scalableMode: Bool { bit(ecap, 43) }
    /// SLADS, bit 45: second-stage accessed/dirty bits (dirty tracking).
    public var secondStageAccessedDirty: Bool { bit(ecap, 45) }
    /// SLTS, bit 46: second-stage translation.
    public var secondStageTranslation: Bool { bit(ecap, 46) }
    /// FLTS, bit 47: first-stage translation.
    public var firstStageTranslation: Bool { bit(ecap, 47) }

    /// The names of the single-bit features that are set, in register order.
    public var features: [String] {
        let all: [(String, Bool)] = [
            ("rwbf", requiresWriteBufferFlush), ("caching-mode", cachingMode), ("zero-length-read", zeroLengthRead),
            ("page-selective-invalidation", pageSelectiveInvalidation), ("fl-1g-pages", firstStage1GiBPages),
            ("posted-interrupts", postedInterrupts), ("fl-5-level", firstStage5LevelPaging),
            ("coherent", coherentPageWalk), ("queued-invalidation", queuedInvalidation), ("device-tlb", deviceTLB),
            ("interrupt-remapping", interruptRemapping), ("x2apic", extendedInterruptMode),
            ("pass-through", passThrough), ("snoop-control", snoopControl), ("nested", nested),
            ("page-requests", pageRequests), ("pasid", pasid), ("scalable-mode", scalableMode),
            ("ss-dirty-tracking", secondStageAccessedDirty), ("second-stage", secondStageTranslation),
            ("first-stage", firstStageTranslation),
        ]
        return all.filter(\.1).map(\.0)
    }
}
