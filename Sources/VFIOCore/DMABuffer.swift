import Glibc
import LinuxSystem

/// Anonymous, page-aligned process memory to map for DMA; unmapped once, when
/// the last reference goes. Unmap it from the IOMMU first.
public final class DMABuffer {
    public let base: UnsafeMutableRawPointer
    public let length: Int

    /// The page size backing the buffer.
    public enum Backing: Sendable, Hashable {
        /// Ordinary pages (4 KiB on x86_64).
        case pages
        /// Explicit huge pages (`MAP_HUGETLB`) of `2^log2Size` bytes; needs reserved hugetlb pages.
        case hugePages(log2Size: Int32)
    }

    /// Allocates `length` zeroed bytes, read-write, private to this process.
    ///
    /// The corresponding system call is `mmap(2)` with `MAP_PRIVATE | MAP_ANONYMOUS`.
    public init(length: Int, backing: Backing = .pages) throws(VFIOError) {
        var flags = MAP_PRIVATE | MAP_ANONYMOUS
        if case .hugePages(let log2Size) = backing {
            flags |= MAP_HUGETLB | (log2Size << MAP_HUGE_SHIFT)
        }
        guard length > 0 else {
            throw VFIOError(.mmap, path: "anonymous memory", errno: Errno(rawValue: EINVAL), reason: "length is 0")
        }
        base = try Syscall.mmap(length: length, protection: PROT_READ | PROT_WRITE, flags: flags)
            .get(.mmap, path: "anonymous memory")
        self.length = length
    }

    deinit {
        munmap(base, length)
    }

    /// The process address, as `VFIO_IOMMU_MAP_DMA` and `IOMMU_IOAS_MAP` take it.
    public var address: UInt64 { UInt64(UInt(bitPattern: base)) }

    public var bytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base, count: length) }
}
