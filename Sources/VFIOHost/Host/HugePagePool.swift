import LinuxSystem
import VFIOCore
import VFIOSysfs

/// One huge page pool: its page size, how many pages are reserved and how many
/// are free.
///
/// The corresponding files are `/sys/kernel/mm/hugepages/hugepages-<size>kB/{nr_hugepages,free_hugepages}`.
public struct HugePagePool: Hashable, Sendable {
    /// `/sys/kernel/mm/hugepages/hugepages-2048kB`
    public let path: String
    public let pageSize: UInt64
    public let total: UInt64
    public let free: UInt64

    /// Every pool, by page size; nil when the folder is missing (a kernel
    /// without hugetlbfs).
    public static func all(_ root: HostRoot) -> [HugePagePool]? {
        guard case .success(let names) = FileSystem.list(root.hugePages) else { return nil }
        return names.compactMap { name -> HugePagePool? in
            guard name.hasPrefix("hugepages-"), name.hasSuffix("kB"),
                  let kib = UInt64(name.dropFirst("hugepages-".count).dropLast(2)) else { return nil }
            let path = root.hugePages + "/" + name
            func count(_ file: String) -> UInt64? { (try? FileSystem.readText(path + "/" + file).get()).flatMap { UInt64($0) } }
            guard let total = count("nr_hugepages"), let free = count("free_hugepages") else { return nil }
            return HugePagePool(path: path, pageSize: kib * 1024, total: total, free: free)
        }.sorted { $0.pageSize < $1.pageSize }
    }
}
