import Glibc
import LinuxSystem

/// Vendor, device and class names from the system's `pci.ids` database
/// (hwdata or pciutils). Only the vendors asked for are kept.
public struct PCIIDs: Sendable {
    /// Where Debian's hwdata and pciutils install the database.
    public static let defaultPaths = ["/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids", "/usr/share/pci.ids"]

    private var vendors: [UInt16: String] = [:]
    private var devices: [UInt32: String] = [:]
    private var classes: [UInt16: String] = [:]      // base class << 8 | 0xFF, or base << 8 | subclass
    public let path: String

    /// Loads the first database found, keeping names for `vendorIDs` only.
    public static func load(paths: [String] = defaultPaths, vendorIDs: Set<UInt16>) -> PCIIDs? {
        for path in paths {
            if let ids = mapped(path, vendorIDs: vendorIDs) { return ids }
        }
        return nil
    }

    /// The database at `path` parsed straight from the page cache (`mmap`,
    /// no copy into fresh memory); nil when it cannot be opened or mapped.
    private static func mapped(_ path: String, vendorIDs: Set<UInt16>) -> PCIIDs? {
        ReadRecorder.note(path, .contents)
        guard let file = try? FileDescriptor.open(path, flags: O_RDONLY),
              case .success(let status) = file.status()
        else { return nil }
        var ids = PCIIDs(path: path)
        let size = status.size
        guard size > 0 else { return ids }
        guard case .success(let base) = Syscall.mmap(length: size, protection: PROT_READ, flags: MAP_PRIVATE,
                                                     fd: file.rawValue)
        else { return nil }
        defer { munmap(base, size) }
        ids.parse(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size), vendorIDs: vendorIDs)
        return ids
    }

    private init(path: String) {
        self.path = path
    }

    package init(path: String, bytes: [UInt8], vendorIDs: Set<UInt16>) {
        self.path = path
        bytes.withUnsafeBufferPointer { parse($0, vendorIDs: vendorIDs) }
    }

    /// One pass over the lines; a line is a slice of `text`, so nothing is
    /// copied or retained per line.
    private mutating func parse(_ text: UnsafeBufferPointer<UInt8>, vendorIDs: Set<UInt16>) {
        var vendor: UInt16?
        var baseClass: UInt8?
        var lineStart = 0
        while lineStart < text.count {
            let lineEnd = memchr(text.baseAddress! + lineStart, 0x0A, text.count - lineStart)
                .map { text.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? text.count
            let line = text[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            guard let first = line.first, first != 0x23 else { continue }  // blank or comment
            if first == 0x09 {
                // Most lines are devices of vendors nobody asked for: skipped on their first byte.
                guard vendor != nil || baseClass != nil else { continue }
                let rest = line.dropFirst()
                guard rest.first != 0x09 else { continue }  // subsystem or prog-if line
                if let vendor, let (id, name) = Self.entry(rest, digits: 4) {
                    devices[UInt32(vendor) << 16 | id] = Self.name(name)
                } else if let baseClass, let (id, name) = Self.entry(rest, digits: 2) {
                    classes[UInt16(baseClass) << 8 | UInt16(id)] = Self.name(name)
                }
            } else if first == 0x43, line.count > 2, line[line.startIndex + 1] == 0x20 {  // "C cc  name"
                vendor = nil
                if let (id, name) = Self.entry(line.dropFirst(2), digits: 2) {
                    baseClass = UInt8(id)
                    classes[UInt16(id) << 8 | 0xFF] = Self.name(name)
                }
            } else if let (id, name) = Self.entry(line, digits: 4) {
                baseClass = nil
                let wanted = vendorIDs.contains(UInt16(id))
                vendor = wanted ? UInt16(id) : nil
                if wanted { vendors[UInt16(id)] = Self.name(name) }
            } else {
                vendor = nil
                baseClass = nil
            }
        }
    }

    public func vendorName(_ vendor: UInt16) -> String? { vendors[vendor] }

    public func deviceName(vendor: UInt16, device: UInt16) -> String? {
        devices[UInt32(vendor) << 16 | UInt32(device)]
    }

    /// The subclass name when known, else the base class name.
    public func className(_ classCode: UInt32) -> String? {
        let base = UInt16((classCode >> 16) & 0xFF)
        let sub = UInt16((classCode >> 8) & 0xFF)
        return classes[base << 8 | sub] ?? classes[base << 8 | 0xFF]
    }

    /// `hhhh  name` with exactly `digits` hex digits, then two spaces: the ID
    /// and the name's bytes (a `String` is made only for names that are kept).
    static func entry(_ line: Slice<UnsafeBufferPointer<UInt8>>, digits: Int)
        -> (UInt32, Slice<UnsafeBufferPointer<UInt8>>)?
    {
        guard line.count > digits + 2,
              line[line.startIndex + digits] == 0x20, line[line.startIndex + digits + 1] == 0x20
        else { return nil }
        var id: UInt32 = 0
        for byte in line.prefix(digits) {
            guard let digit = byte.hexDigitValue else { return nil }
            id = id << 4 | UInt32(digit)
        }
        return (id, line.dropFirst(digits + 2))
    }

    private static func name(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
