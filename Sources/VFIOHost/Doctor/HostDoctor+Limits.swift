import VFIOCore
import VFIOSysfs

/// The limits a VMM meets when it maps its memory: RLIMIT_MEMLOCK, type1's
/// mapping count, huge pages.
extension HostDoctor {
    /// The caller's RLIMIT_MEMLOCK against `plannedMemory`; CAP_IPC_LOCK lifts it.
    func memlockLimit() -> HostCheck {
        let planned = formatBytes(plannedMemory)
        var evidence: [Evidence] = []
        if let memlock {
            evidence.append(Evidence("getrlimit(RLIMIT_MEMLOCK)", "soft \(Self.limit(memlock.soft)), hard \(Self.limit(memlock.hard))"))
        }
        evidence.append(Evidence("/proc/self/status CapEff", privileges.canLockMemory.map {
            "CAP_IPC_LOCK " + ($0 ? "held" : "not held")
        } ?? "unreadable"))
        if privileges.canLockMemory == true {
            return HostCheck("memlock", .pass, "CAP_IPC_LOCK: memory pinned for DMA is not counted against RLIMIT_MEMLOCK",
                             evidence: evidence)
        }
        guard let memlock else {
            return HostCheck("memlock", .skip, "cannot read RLIMIT_MEMLOCK", evidence: evidence)
        }
        guard let soft = memlock.soft, soft < plannedMemory else {
            return HostCheck("memlock", .pass, "RLIMIT_MEMLOCK \(Self.limit(memlock.soft)) covers \(planned) of guest memory",
                             evidence: evidence)
        }
        let raise = "Raise it for the VMM: LimitMEMLOCK= in its systemd unit, memlock in /etc/security/limits.conf, "
            + "or prlimit --memlock; or give it CAP_IPC_LOCK (libvirt raises the limit for its QEMU itself). type1 "
            + "charges each process (each container separately), iommufd each user."
        if memlock.hard.map({ $0 >= plannedMemory }) ?? true {
            return HostCheck("memlock", .warn, "RLIMIT_MEMLOCK \(formatBytes(soft)) is below the \(planned) a VMM pins; "
                                + "the process may raise it up to its hard limit", evidence: evidence,
                             fix: "Run ulimit -l \(plannedMemory / 1024) (KiB) before the VMM starts. " + raise)
        }
        return HostCheck("memlock", .fail, "RLIMIT_MEMLOCK \(formatBytes(soft)) (hard \(Self.limit(memlock.hard))) is below "
                            + "the \(planned) a VMM pins: mapping it fails with ENOMEM", evidence: evidence, fix: raise)
    }

    /// vfio_iommu_type1's `dma_entry_limit`, the mappings one container may hold.
    func dmaEntryLimit() -> HostCheck {
        let parameter = ModuleParameter.read("vfio_iommu_type1", "dma_entry_limit", root: root)
        let evidence = [Evidence(parameter.path, parameter.value ?? "missing")]
        guard let limit = parameter.number else {
            return HostCheck("dma-entry-limit", .skip, "vfio_iommu_type1 is not loaded (iommufd counts no mappings)",
                             evidence: evidence)
        }
        guard limit >= Self.defaultDMAEntryLimit else {
            return HostCheck("dma-entry-limit", .warn, "\(limit) mappings per container, below the default "
                                + "\(Self.defaultDMAEntryLimit): many small mappings run out (ENOSPC)", evidence: evidence,
                             fix: "Write \(Self.defaultDMAEntryLimit) or more to \(parameter.path); containers opened "
                                + "afterwards get it.")
        }
        return HostCheck("dma-entry-limit", .pass, "\(limit) mappings per container", evidence: evidence)
    }

    /// Huge page pools reserved and free, and whether type1 may use them.
    func hugePages() -> HostCheck {
        let disable = ModuleParameter.read("vfio_iommu_type1", "disable_hugepages", root: root)
        guard let pools = HugePagePool.all(root) else {
            return HostCheck("hugepages", .warn, "no huge page support (kernel without hugetlbfs)",
                             evidence: [Evidence(root.hugePages, "missing")],
                             fix: "Guest memory is mapped in small pages; a kernel with CONFIG_HUGETLBFS can reserve huge ones.")
        }
        var evidence = pools.map { Evidence($0.path, "\($0.total) reserved, \($0.free) free") }
        if pools.isEmpty { evidence.append(Evidence(root.hugePages, "no pools")) }
        if let value = disable.value { evidence.append(Evidence(disable.path, value)) }
        let summary = pools.filter { $0.total > 0 }
            .map { "\(formatBytes($0.pageSize)): \($0.free) of \($0.total) free" }.joined(separator: ", ")
        let reserve = "Reserve some: write a count to \(root.hugePages)/hugepages-2048kB/nr_hugepages, or boot with "
            + "hugepages=N (hugepagesz=1G hugepages=N for 1 GiB pages)."
        if disable.flag == true {
            return HostCheck("hugepages", .warn, "vfio_iommu_type1 maps every page singly (disable_hugepages=Y)",
                             evidence: evidence, fix: "Write N to \(disable.path) unless you are measuring it.")
        }
        guard pools.contains(where: { $0.total > 0 }) else {
            return HostCheck("hugepages", .warn, "no huge pages reserved: guest memory will use small pages or THP",
                             evidence: evidence, fix: reserve)
        }
        guard pools.contains(where: { $0.free > 0 }) else {
            return HostCheck("hugepages", .warn, "every reserved huge page is in use (\(summary))", evidence: evidence,
                             fix: reserve)
        }
        return HostCheck("hugepages", .pass, summary, evidence: evidence)
    }

    /// vfio_iommu_type1's default `dma_entry_limit`.
    static let defaultDMAEntryLimit: UInt64 = 65535

    static func limit(_ bytes: UInt64?) -> String { bytes.map(formatBytes) ?? "unlimited" }
}
