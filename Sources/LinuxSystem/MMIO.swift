import CLinuxSystem

/// Register access in an mmap'ed device region: one volatile access of exactly
/// `T`'s width (1, 2, 4 or 8 bytes), never merged, split or elided.
public enum MMIO {
    /// The register at `base + offset`.
    public static func read<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type, _ base: UnsafeRawPointer,
                                                                     _ offset: Int) -> T
    {
        switch MemoryLayout<T>.size {
        case 1: T(truncatingIfNeeded: clinux_mmio_read8(base, offset))
        case 2: T(truncatingIfNeeded: clinux_mmio_read16(base, offset))
        case 4: T(truncatingIfNeeded: clinux_mmio_read32(base, offset))
        default: T(truncatingIfNeeded: clinux_mmio_read64(base, offset))
        }
    }

    /// Stores `value` in the register at `base + offset`.
    public static func write<T: FixedWidthInteger & UnsignedInteger>(_ value: T, _ base: UnsafeMutableRawPointer,
                                                                      _ offset: Int)
    {
        switch MemoryLayout<T>.size {
        case 1: clinux_mmio_write8(base, offset, UInt8(truncatingIfNeeded: value))
        case 2: clinux_mmio_write16(base, offset, UInt16(truncatingIfNeeded: value))
        case 4: clinux_mmio_write32(base, offset, UInt32(truncatingIfNeeded: value))
        default: clinux_mmio_write64(base, offset, UInt64(truncatingIfNeeded: value))
        }
    }
}
