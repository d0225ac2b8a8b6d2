/// Bounds-checked, alignment-free reads and writes of native-endian integers in
/// a byte buffer the kernel filled (or will read).
extension Array where Element == UInt8 {
    /// The integer at `offset`, or nil when it does not fit in the buffer.
    func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T? {
        guard offset >= 0, offset <= count - MemoryLayout<T>.size else { return nil }
        return withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
    }

    /// Stores `value` at `offset`; does nothing when it does not fit.
    mutating func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        guard offset >= 0, offset <= count - MemoryLayout<T>.size else { return }
        withUnsafeMutableBytes { $0.storeBytes(of: value, toByteOffset: offset, as: T.self) }
    }
}

/// The offset of a struct field, for code that reads the struct from a byte buffer.
func fieldOffset<Root, Value>(_ keyPath: KeyPath<Root, Value>) -> Int {
    MemoryLayout<Root>.offset(of: keyPath) ?? 0
}
