import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// An ACPI table through which firmware describes an IOMMU.
public enum IOMMUTable: String, CaseIterable, Sendable {
    /// Intel VT-d DMA remapping units.
    case dmar = "DMAR"
    /// AMD-Vi I/O virtualization reporting structure.
    case ivrs = "IVRS"
    /// virtio-iommu topology.
    case viot = "VIOT"
    /// Arm SMMU (IO remapping table).
    case iort = "IORT"

    /// `Intel VT-d`, `AMD-Vi`, `virtio-iommu`, `Arm SMMU`.
    public var hardware: String {
        switch self {
        case .dmar: "Intel VT-d"
        case .ivrs: "AMD-Vi"
        case .viot: "virtio-iommu"
        case .iort: "Arm SMMU"
        }
    }
}

/// Which IOMMU tables the firmware handed the kernel. Only the names are
/// read: the directory is world-readable, the tables themselves are root's.
///
/// The corresponding directory is `/sys/firmware/acpi/tables`.
public struct ACPITables: Hashable, Sendable {
    /// The directory the tables were looked for in.
    public let path: String
    /// False when the directory is missing (no ACPI: device-tree platforms).
    public let hasACPI: Bool
    public let iommuTables: [IOMMUTable]

    public static func read(_ root: HostRoot) -> ACPITables {
        let path = root.acpiTables
        guard case .success(let names) = FileSystem.list(path) else {
            return ACPITables(path: path, hasACPI: false, iommuTables: [])
        }
        return ACPITables(path: path, hasACPI: true,
                          iommuTables: IOMMUTable.allCases.filter { names.contains($0.rawValue) })
    }
}
