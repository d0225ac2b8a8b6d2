import Glibc
import LinuxSystem

/// The result of looking something up in config space: found, not there, or
/// beyond the bytes that could be read (a non-root read stops at 64 bytes).
public enum ConfigLookup<Value: Hashable & Sendable>: Hashable, Sendable {
    case found(Value)
    case absent
    case unreadable

    public var value: Value? {
        if case .found(let value) = self { return value }
        return nil
    }

    func map<Other>(_ transform: (Value) -> Other) -> ConfigLookup<Other> {
        switch self {
        case .found(let value): .found(transform(value))
        case .absent: .absent
        case .unreadable: .unreadable
        }
    }
}

/// A function's PCI configuration space as its sysfs `config` file shows it.
/// The kernel gives the first 64 bytes (128 for CardBus) to everyone and the
/// rest of the 256 or 4096 bytes only to CAP_SYS_ADMIN, so the bytes may stop
/// early; every accessor answers nil or `.unreadable` past them.
public struct ConfigSpace: Hashable, Sendable {
    /// The bytes that could be read, from offset 0.
    public let bytes: [UInt8]
    /// The size of the `config` file: the config space the kernel can reach (256 or 4096).
    public let size: Int

    public init(bytes: [UInt8], size: Int? = nil) {
        self.bytes = bytes
        self.size = max(size ?? bytes.count, bytes.count)
    }

    /// Every PCI function has at least 256 bytes: fewer means the kernel held the rest back.
    public var isTruncated: Bool { bytes.count < max(size, 256) }

    public func byte(_ offset: Int) -> UInt8? {
        offset >= 0 && offset < bytes.count ? bytes[offset] : nil
    }

    public func word(_ offset: Int) -> UInt16? {
        guard let low = byte(offset), let high = byte(offset + 1) else { return nil }
        return UInt16(low) | UInt16(high) << 8
    }

    public func dword(_ offset: Int) -> UInt32? {
        guard let low = word(offset), let high = word(offset + 2) else { return nil }
        return UInt32(low) | UInt32(high) << 16
    }

    /// Byte 0x0E: the header layout in bits 6:0, multifunction in bit 7.
    public var headerType: UInt8? { byte(0x0E) }
    /// 0 = normal function, 1 = PCI-to-PCI bridge, 2 = CardBus bridge.
    public var headerLayout: UInt8? { headerType.map { $0 & 0x7F } }
    /// Bit 7 of the header type.
    public var multifunctionBit: Bool? { headerType.map { $0 & 0x80 != 0 } }
    /// A bridge's secondary bus number (byte 0x19 of a type 1 header).
    public var secondaryBus: UInt8? { headerLayout == 1 ? byte(0x19) : nil }

    /// The offset of a capability in the standard list (Status bit 4, pointer at
    /// 0x34, or 0x14 for CardBus), walked as the kernel does: at most 48 hops,
    /// pointers below 0x40 end the list.
    public func capability(_ id: UInt8) -> ConfigLookup<Int> {
        guard let status = word(0x06), let layout = headerLayout else { return .unreadable }
        guard status & 0x10 != 0 else { return .absent }
        guard var pointer = byte(layout == 2 ? 0x14 : 0x34).map({ Int($0 & 0xFC) }) else { return .unreadable }
        for _ in 0..<48 {
            guard pointer >= 0x40 else { return .absent }
            guard let header = word(pointer) else { return .unreadable }
            let found = UInt8(header & 0xFF)
            if found == 0xFF { return .absent }
            if found == id { return .found(pointer) }
            pointer = Int(header >> 8) & 0xFC
        }
        return .absent
    }

    /// The offset of an extended capability (from 0x100; ID in bits 15:0, next
    /// pointer in bits 31:20). Absent when the kernel's config space is only
    /// 256 bytes, as it is for conventional PCI or without extended config access.
    public func extendedCapability(_ id: UInt16) -> ConfigLookup<Int> {
        if size <= 0x100, !isTruncated { return .absent }
        var offset = 0x100
        for _ in 0..<((4096 - 256) / 8) {
            guard let header = dword(offset) else { return .unreadable }
            if header == 0 || header == 0xFFFF_FFFF { return .absent }
            if UInt16(header & 0xFFFF) == id { return .found(offset) }
            offset = Int(header >> 20) & 0xFFC
            guard offset >= 0x100 else { return .absent }
        }
        return .absent
    }
}

extension ConfigSpace {
    /// The Device Serial Number (extended capability 0x0003) as `lspci` prints
    /// it, `00-11-22-33-44-55-66-77`; nil when the device has none or it is unreadable.
    public var deviceSerialNumber: String? {
        guard case .found(let offset) = extendedCapability(0x0003),
              let lower = dword(offset + 4), let upper = dword(offset + 8)
        else { return nil }
        let value = UInt64(upper) << 32 | UInt64(lower)
        return (0..<8).reversed().map { zeroPaddedHex(UInt8(truncatingIfNeeded: value >> ($0 * 8)), 2) }
            .joined(separator: "-")
    }

    /// Reads a device's config space from its `config` file.
    public static func of(_ address: PCIAddress, root: HostRoot) -> ConfigSpace? {
        try? read(root.device(address) + "/config").get()
    }

    /// Reads a `config` file: its size from fstat, then up to 4096 bytes.
    static func read(_ path: String) -> Result<ConfigSpace, AttributeProblem> {
        ReadRecorder.note(path, .contents)
        do throws(Errno) {
            let file = try FileDescriptor.open(path, flags: O_RDONLY)
            let size = try file.status().get().size
            var buffer = [UInt8](repeating: 0, count: 4096)
            let length = try buffer.withUnsafeMutableBytes { file.pread(filling: $0, offset: 0) }.get()
            return .success(ConfigSpace(bytes: Array(buffer[0..<length]), size: size))
        } catch {
            return .failure(AttributeProblem(path: path, errno: error))
        }
    }
}
