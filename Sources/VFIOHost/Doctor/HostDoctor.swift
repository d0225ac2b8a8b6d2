import LinuxSystem
import VFIOCore
import VFIOSysfs

/// Checks whether this host is ready to hand PCI devices to userspace through
/// VFIO: the IOMMU (present, enabled, its domains, interrupt remapping), the
/// VFIO pieces (modules, nodes, backends, cdevs, no-IOMMU mode) and the limits
/// (memlock, DMA mapping count, huge pages). Kernel features are found by
/// probing the nodes, never from the version. Returns typed results and
/// prints nothing; reads files and opens nodes under `root`.
public struct HostDoctor: Sendable {
    public var root: HostRoot
    public var privileges: ProcessPrivileges
    /// The caller's RLIMIT_MEMLOCK; nil when it could not be read.
    public var memlock: MemlockLimit?
    /// Memory a VMM will pin for DMA (its guest RAM), to judge `memlock` against.
    public var plannedMemory: UInt64

    public init(root: HostRoot = HostRoot(),
                privileges: ProcessPrivileges = .current(), memlock: MemlockLimit? = MemlockLimit.current(),
                plannedMemory: UInt64 = 1 << 30)
    {
        self.root = root
        self.privileges = privileges
        self.memlock = memlock
        self.plannedMemory = plannedMemory
    }

    /// Every check, in a fixed order.
    public func run() -> [HostCheck] {
        let host = HostFacts.read(root)
        return [
            iommuHardware(host), iommuEnabled(host), iommuDomains(host),
            interruptRemapping(host), unsafeInterrupts(),
            vfioModules(), container(), iommufd(), deviceCdev(), noIOMMU(host),
            memlockLimit(), dmaEntryLimit(), hugePages(), vfioPCIParameters(),
        ]
    }
}

extension HostDoctor {
    /// `1 IOMMU group`, `10 IOMMU groups`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// The items joined with commas, or `empty`.
    static func list(_ items: [String], empty: String) -> String {
        items.isEmpty ? empty : items.joined(separator: ", ")
    }
}

/// The host facts several checks share, read once.
struct HostFacts {
    struct Group {
        let id: IOMMUGroupID
        /// The default domain type (`DMA`, `identity`, ...); nil when unreadable.
        let type: String?
        /// A group VFIO made for a device without an IOMMU (named `vfio-noiommu`).
        let noIOMMU: Bool
    }

    let tables: ACPITables
    let units: [IOMMUUnit]
    let commandLine: KernelCommandLine?
    let groups: [Group]

    /// Groups an IOMMU driver made, without VFIO's no-IOMMU ones.
    var iommuGroups: [Group] { groups.filter { !$0.noIOMMU } }
    var hasIOMMUHardware: Bool { !tables.iommuTables.isEmpty || !units.isEmpty }

    static func read(_ root: HostRoot) -> HostFacts {
        let ids = (try? SysfsReader(root: root).groupIDs().get()) ?? []
        let groups = ids.map { id in
            let path = root.group(id)
            let name = try? FileSystem.readText(path + "/name").get()
            return Group(id: id, type: try? FileSystem.readText(path + "/type").get(), noIOMMU: name == "vfio-noiommu")
        }
        return HostFacts(tables: ACPITables.read(root), units: IOMMUUnit.all(root),
                         commandLine: try? KernelCommandLine.read(root).get(), groups: groups)
    }
}
