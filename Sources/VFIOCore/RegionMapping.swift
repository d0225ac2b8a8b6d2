import Glibc
import LinuxSystem

/// A device region (or part of one) mmap'ed into this process; unmapped once,
/// when the last reference goes. Accesses are single volatile loads and stores
/// of the requested width, as MMIO registers need.
public final class RegionMapping {
    public let base: UnsafeMutableRawPointer
    public let length: Int
    /// For error messages: the device and region.
    public let name: String

    init(base: UnsafeMutableRawPointer, length: Int, name: String) {
        self.base = base
        self.length = length
        self.name = name
    }

    deinit {
        munmap(base, length)
    }

    /// Reads a register of `T`'s width (1, 2, 4 or 8 bytes), naturally aligned.
    public func read<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type, at offset: Int) throws(VFIOError) -> T {
        try check(offset, MemoryLayout<T>.size)
        return MMIO.read(T.self, base, offset)
    }

    /// Writes a register of `T`'s width (1, 2, 4 or 8 bytes), naturally aligned.
    public func write<T: FixedWidthInteger & UnsignedInteger>(_ value: T, at offset: Int) throws(VFIOError) {
        try check(offset, MemoryLayout<T>.size)
        MMIO.write(value, base, offset)
    }

    private func check(_ offset: Int, _ width: Int) throws(VFIOError) {
        guard [1, 2, 4, 8].contains(width), offset >= 0, offset % width == 0, offset <= length - width else {
            throw VFIOError(.mmap, path: name, errno: Errno(rawValue: EINVAL),
                            reason: "\(width)-byte access at 0x\(String(offset, radix: 16)) is outside or "
                                + "misaligned in the \(length)-byte mapping")
        }
    }
}

extension VFIODevice {
    /// Maps `length` bytes (default: the rest of the region) starting `offset`
    /// bytes into a region. The region must have the MMAP flag; when it has
    /// sparse areas, the range must lie inside one of them. `offset` must be
    /// page-aligned.
    ///
    /// The corresponding system call is `mmap(2)` of the device fd at `region.offset + offset`.
    public func map(_ region: RegionInfo, offset: UInt64 = 0, length: UInt64? = nil) throws(VFIOError)
        -> RegionMapping
    {
        let label = "\(name) \(region.index)"
        func refuse(_ reason: String) -> VFIOError {
            VFIOError(.mmap, path: label, errno: Errno(rawValue: EINVAL), reason: reason)
        }
        guard region.flags.contains(.mmap) else { throw refuse("\(region.index) cannot be mmap'ed") }
        guard offset < region.size else { throw refuse("offset 0x\(String(offset, radix: 16)) is past the region") }
        let size = length ?? (region.size - offset)
        guard let range = IOVARange(start: offset, length: size), range.last < region.size else {
            throw refuse("\(size) bytes at 0x\(String(offset, radix: 16)) do not fit the \(region.size)-byte region")
        }
        if let areas = region.sparseAreas {
            let fits = areas.contains { area in
                IOVARange(start: area.offset, length: area.size).map { $0.contains(range) } ?? false
            }
            guard fits else { throw refuse("the range is not inside one of the region's mmap-able areas") }
        }
        guard let byteCount = Int(exactly: size) else { throw refuse("\(size) bytes do not fit in memory") }
        var protection: Int32 = 0
        if region.flags.contains(.read) { protection |= PROT_READ }
        if region.flags.contains(.write) { protection |= PROT_WRITE }
        let pointer = try Syscall.mmap(length: byteCount, protection: protection, flags: MAP_SHARED, fd: descriptor,
                                       offset: region.offset &+ offset).get(.mmap, path: label)
        return RegionMapping(base: pointer, length: byteCount, name: label)
    }
}
