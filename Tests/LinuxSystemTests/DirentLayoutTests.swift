import CLinuxSystem
import Testing

/// `struct linux_dirent64` (include/linux/dirent.h) as CLinuxSystem declares it
/// for getdents64: d_ino, d_off, d_reclen, d_type, and d_name at 19.
@Suite struct DirentLayoutTests {
    static let fields: [(name: String, actual: Int, expected: Int)] = [
        ("linux_dirent64.d_ino", MemoryLayout<clinux_dirent64>.offset(of: \clinux_dirent64.ino) ?? -1, 0),
        ("linux_dirent64.d_off", MemoryLayout<clinux_dirent64>.offset(of: \clinux_dirent64.off) ?? -1, 8),
        ("linux_dirent64.d_reclen", MemoryLayout<clinux_dirent64>.offset(of: \clinux_dirent64.reclen) ?? -1, 16),
        ("linux_dirent64.d_type", MemoryLayout<clinux_dirent64>.offset(of: \clinux_dirent64.type) ?? -1, 18),
        ("linux_dirent64.d_name", clinux_dirent64_name_offset, 19),
    ]

    @Test func fieldOffsets() {
        for field in Self.fields {
            #expect(field.actual == field.expected, "\(field.name)")
        }
    }
}
