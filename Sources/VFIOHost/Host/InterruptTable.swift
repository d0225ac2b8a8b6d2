import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The interrupt chips in use, from the kernel's interrupt table. Chips whose
/// name starts with `IR-` (`IR-IO-APIC`, `IR-PCI-MSIX-0000:00:04.0`) deliver
/// through the IOMMU's interrupt remapping, so their presence shows that the
/// kernel uses it; readable without root.
///
/// The corresponding file is `/proc/interrupts`.
public struct InterruptTable: Hashable, Sendable {
    /// The chip name of each numbered interrupt line, in file order.
    public let chips: [String]

    public init(chips: [String]) {
        self.chips = chips
    }

    /// Parses the table: a header of CPU columns, then `IRQ: count per CPU,
    /// chip, ...`. Lines whose label is not a number (NMI, LOC, ...) have no chip.
    public init(parsing text: String) {
        let lines = text.split(separator: "\n")
        let cpus = lines.first.map { $0.split(separator: " ").filter { $0.hasPrefix("CPU") }.count } ?? 0
        chips = lines.dropFirst().compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard let label = fields.first, label.hasSuffix(":"), UInt32(label.dropLast()) != nil,
                  fields.count > cpus + 1 else { return nil }
            return String(fields[cpus + 1])
        }
    }

    public static func read(_ root: HostRoot) -> Result<InterruptTable, Errno> {
        FileSystem.readText(root.interrupts, limit: 1 << 22).map(InterruptTable.init(parsing:))
    }

    /// The chips that remap, without repeats, in file order.
    public var remappingChips: [String] {
        var seen = Set<String>()
        return chips.filter { $0.hasPrefix("IR-") && seen.insert($0).inserted }
    }
}
