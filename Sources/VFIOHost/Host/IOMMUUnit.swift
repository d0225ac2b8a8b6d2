import LinuxSystem
import VFIOCore
import VFIOSysfs

/// One IOMMU unit the kernel drives, with the registers its driver exports:
/// Intel `dmarN` (VT-d cap and ecap), AMD `ivhdN` (cap and the extended
/// feature register), or another kind (virtio-iommu, Arm SMMU) without any.
///
/// The corresponding files are `/sys/class/iommu/<unit>/intel-iommu/{cap,ecap}`
/// and `/sys/class/iommu/<unit>/amd-iommu/{cap,features}`.
public struct IOMMUUnit: Hashable, Sendable {
    public enum Registers: Hashable, Sendable {
        case intel(VTdRegisters)
        /// The capability header and the extended feature register (EFR).
        case amd(cap: UInt64, features: UInt64)
        case none
    }

    /// `dmar0`, `ivhd0`, `0000:00:01.0`.
    public let name: String
    /// `/sys/class/iommu/<name>`
    public let path: String
    public let registers: Registers

    /// Every unit, sorted by name; empty when the class is missing (no IOMMU driver).
    public static func all(_ root: HostRoot) -> [IOMMUUnit] {
        guard case .success(let names) = FileSystem.list(root.iommuUnits) else { return [] }
        return names.map { name in
            let path = root.iommuUnits + "/" + name
            return IOMMUUnit(name: name, path: path, registers: registers(path))
        }
    }

    private static func registers(_ path: String) -> Registers {
        if let cap = hex(path + "/intel-iommu/cap"), let ecap = hex(path + "/intel-iommu/ecap") {
            return .intel(VTdRegisters(flags: 0, cap: cap, ecap: ecap))
        }
        if let cap = hex(path + "/amd-iommu/cap"), let features = hex(path + "/amd-iommu/features") {
            return .amd(cap: cap, features: features)
        }
        return .none
    }

    /// A register as these drivers print it: hex without `0x` (`f00f4a`);
    /// AMD's `features` adds `:EFR2` after a colon, which is dropped.
    static func hex(_ path: String) -> UInt64? {
        guard case .success(let text) = FileSystem.readText(path) else { return nil }
        let field = text.split(separator: ":").first.map(String.init) ?? text
        let digits = field.hasPrefix("0x") ? String(field.dropFirst(2)) : field
        return UInt64(digits, radix: 16)
    }
}
