import LinuxSystem

/// A device named by what it is rather than where it sits: `net:IFACE` (the
/// PCI function behind a network interface), `block:NAME` (the function of a
/// disk's controller) or `id:VVVV:DDDD` (every function with those IDs).
/// Parsed strictly before anything is read: a name never becomes a path
/// unless it is a plain kernel device name.
public enum DeviceSelector: Hashable, Sendable, CustomStringConvertible {
    case interface(String)
    case block(String)
    case ids(vendor: UInt16, device: UInt16)

    /// Parses `net:eth0`, `block:nvme0n1` or `id:1234:11e8`.
    public init?(_ text: String) {
        if text.hasPrefix("net:"), let name = Self.deviceName(text.dropFirst(4), limit: 15) {
            self = .interface(name)
        } else if text.hasPrefix("block:"), let name = Self.deviceName(text.dropFirst(6), limit: 31) {
            self = .block(name)
        } else if text.hasPrefix("id:") {
            let fields = text.dropFirst(3).split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 2, fields.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isHexDigit) }),
                  let vendor = UInt16(fields[0], radix: 16), let device = UInt16(fields[1], radix: 16)
            else { return nil }
            self = .ids(vendor: vendor, device: device)
        } else {
            return nil
        }
    }

    /// A name the kernel could have given a device: letters, digits, `-`, `_`,
    /// `.` and `@`, at most `limit` bytes, never `.` or `..` (dev_valid_name, DISK_NAME_LEN).
    private static func deviceName(_ text: Substring, limit: Int) -> String? {
        guard !text.isEmpty, text.utf8.count <= limit, text != ".", text != "..",
              text.utf8.allSatisfy({ byte in
                  (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                      || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x40
              })
        else { return nil }
        return String(text)
    }

    public var description: String {
        switch self {
        case .interface(let name): "net:" + name
        case .block(let name): "block:" + name
        case .ids(let vendor, let device): "id:" + zeroPaddedHex(vendor, 4) + ":" + zeroPaddedHex(device, 4)
        }
    }

    /// Why a selector names no PCI function, with the ones it could have meant.
    public struct Failure: Error, Sendable {
        public let message: String
        public let candidates: [String]
    }

    /// The PCI functions the selector names, in address order.
    ///
    /// The corresponding files are the links `/sys/class/net/IFACE` and
    /// `/sys/class/block/NAME` (with `slaves/` and `multipath/` for stacked and
    /// multipath disks), and each device's vendor and device IDs.
    public func resolve(_ reader: SysfsReader) -> Result<[PCIAddress], Failure> {
        let root = reader.root
        switch self {
        case .interface(let name):
            let link = root.netClass + "/" + name
            guard let path = realPath(link) else {
                return .failure(Failure(message: "no network interface \(name): \(link) does not exist",
                                        candidates: Self.candidates(root.netClass)))
            }
            guard let address = Self.function(above: path) else {
                return .failure(Failure(message: "network interface \(name) is not on a PCI function (\(path))",
                                        candidates: Self.candidates(root.netClass)))
            }
            return .success([address])
        case .block(let name):
            let link = root.blockClass + "/" + name
            guard realPath(link) != nil else {
                return .failure(Failure(message: "no block device \(name): \(link) does not exist",
                                        candidates: Self.candidates(root.blockClass)))
            }
            let functions = Self.functions(ofBlock: name, root: root, depth: 0)
            guard !functions.isEmpty else {
                return .failure(Failure(message: "block device \(name) is not on a PCI function "
                                            + "(\(realPath(link) ?? link), no slaves or multipath paths on one)",
                                        candidates: Self.candidates(root.blockClass)))
            }
            return .success(functions.sorted())
        case .ids(let vendor, let device):
            let all = ((try? reader.deviceAddresses().get()) ?? []).map(reader.device)
            let matches = all.filter { $0.vendorID == vendor && $0.deviceID == device }.map(\.address)
            guard !matches.isEmpty else {
                let sameVendor = all.filter { $0.vendorID == vendor }.map { device in
                    "\(device.address) (id:\(zeroPaddedHex(vendor, 4)):\(zeroPaddedHex(device.deviceID ?? 0, 4)))"
                }
                return .failure(Failure(message: "no PCI function is \(zeroPaddedHex(vendor, 4)):"
                                            + "\(zeroPaddedHex(device, 4)) under \(root.pciDevices)",
                                        candidates: sameVendor))
            }
            return .success(matches.sorted())
        }
    }

    /// The nearest PCI function in a canonical sysfs path: its last `DDDD:BB:DD.F` component.
    static func function(above path: String) -> PCIAddress? {
        path.split(separator: "/").reversed().lazy.compactMap { component in
            component.utf8.count == 12 ? PCIAddress(component) : nil
        }.first
    }

    /// The functions below a block device: its own, else those of the devices it
    /// is stacked on (`slaves/`) or the paths of a multipath namespace (`multipath/`).
    private static func functions(ofBlock name: String, root: HostRoot, depth: Int) -> Set<PCIAddress> {
        let link = root.blockClass + "/" + name
        guard depth < 8, let path = realPath(link) else { return [] }
        if let address = function(above: path) { return [address] }
        var found = Set<PCIAddress>()
        for directory in ["slaves", "multipath"] {
            guard case .success(let names) = AttributeFile.list(path + "/" + directory) else { continue }
            for lower in names { found.formUnion(functions(ofBlock: lower, root: root, depth: depth + 1)) }
        }
        return found
    }

    /// `NAME (DDDD:BB:DD.F)` for every entry of a class directory that sits on a PCI function.
    private static func candidates(_ classDirectory: String) -> [String] {
        guard case .success(let names) = AttributeFile.list(classDirectory) else { return [] }
        return names.sorted().compactMap { name in
            realPath(classDirectory + "/" + name).flatMap(function(above:)).map { "\(name) (\($0))" }
        }
    }
}
