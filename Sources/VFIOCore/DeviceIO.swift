import Glibc
import LinuxSystem

/// Reads and writes of device regions (BARs, config space) through the device
/// fd, at the offset the kernel reported for the region.
extension VFIODevice {
    /// Reads `count` bytes at `offset` within a region.
    ///
    /// The corresponding system call is `pread(2)` at `region.offset + offset`.
    public func read(_ region: RegionInfo, at offset: UInt64, count: Int) throws(VFIOError) -> [UInt8] {
        try check(region, offset: offset, count: count, needs: .read, operation: .pread)
        var bytes = [UInt8](repeating: 0, count: count)
        let fd = descriptor
        try bytes.withUnsafeMutableBytes { Syscall.preadAll(fd, $0, offset: region.offset + offset) }
            .get(.pread, path: name)
        return bytes
    }

    /// Writes `bytes` at `offset` within a region.
    ///
    /// The corresponding system call is `pwrite(2)` at `region.offset + offset`.
    public func write(_ bytes: [UInt8], to region: RegionInfo, at offset: UInt64) throws(VFIOError) {
        try check(region, offset: offset, count: bytes.count, needs: .write, operation: .pwrite)
        let fd = descriptor
        try bytes.withUnsafeBytes { Syscall.pwriteAll(fd, $0, offset: region.offset + offset) }
            .get(.pwrite, path: name)
    }

    /// Reads one integer (a register) of its own width, native byte order.
    ///
    /// The corresponding system call is `pread(2)` at `region.offset + offset`.
    public func read<T: FixedWidthInteger>(_ type: T.Type, from region: RegionInfo, at offset: UInt64)
        throws(VFIOError) -> T
    {
        let count = MemoryLayout<T>.size
        try check(region, offset: offset, count: count, needs: .read, operation: .pread)
        var value = T.zero
        let fd = descriptor
        try withUnsafeMutableBytes(of: &value) { Syscall.preadAll(fd, $0, offset: region.offset + offset) }
            .get(.pread, path: name)
        return value
    }

    /// Writes one integer (a register) of its own width, native byte order.
    ///
    /// The corresponding system call is `pwrite(2)` at `region.offset + offset`.
    public func write<T: FixedWidthInteger>(_ value: T, to region: RegionInfo, at offset: UInt64) throws(VFIOError) {
        try check(region, offset: offset, count: MemoryLayout<T>.size, needs: .write, operation: .pwrite)
        let fd = descriptor
        try withUnsafeBytes(of: value) { Syscall.pwriteAll(fd, $0, offset: region.offset + offset) }
            .get(.pwrite, path: name)
    }

    /// Reads `count` bytes of PCI config space at `offset`.
    ///
    /// The corresponding system call is `pread(2)` in the config region (index 7).
    public func readConfig(at offset: UInt64, count: Int) throws(VFIOError) -> [UInt8] {
        try read(try regionInfo(.config), at: offset, count: count)
    }

    /// Writes `bytes` to PCI config space at `offset` (vfio-pci filters what reaches the device).
    ///
    /// The corresponding system call is `pwrite(2)` in the config region (index 7).
    public func writeConfig(_ bytes: [UInt8], at offset: UInt64) throws(VFIOError) {
        try write(bytes, to: try regionInfo(.config), at: offset)
    }

    private func check(_ region: RegionInfo, offset: UInt64, count: Int, needs flag: RegionFlags,
                       operation: VFIOOperation) throws(VFIOError)
    {
        guard region.flags.contains(flag) else {
            throw VFIOError(operation, path: name, errno: Errno(rawValue: EINVAL),
                            reason: "\(region.index) is not \(flag == .read ? "readable" : "writable")")
        }
        let (end, overflow) = offset.addingReportingOverflow(UInt64(count))
        guard !overflow, end <= region.size else {
            throw VFIOError(operation, path: name, errno: Errno(rawValue: EINVAL),
                            reason: "\(count) bytes at 0x\(String(offset, radix: 16)) run past the "
                                + "\(region.size)-byte \(region.index)")
        }
    }
}
