/// A PCI function address, `DDDD:BB:DD.F`, as the kernel names devices under
/// `/sys/bus/pci/devices`.
public struct PCIAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let domain: UInt16
    public let bus: UInt8
    public let device: UInt8
    public let function: UInt8

    public init?(domain: UInt16, bus: UInt8, device: UInt8, function: UInt8) {
        guard device < 32, function < 8 else { return nil }
        self.domain = domain
        self.bus = bus
        self.device = device
        self.function = function
    }

    /// Parses `DDDD:BB:DD.F` or the short `BB:DD.F` (domain 0000), strictly:
    /// fixed-width hex fields, device below 0x20 and function below 8.
    public init?(_ text: some StringProtocol) {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        let domainText: Substring
        let busText: Substring
        let slotText: Substring
        switch fields.count {
        case 2:
            (domainText, busText, slotText) = ("0000", Substring(fields[0]), Substring(fields[1]))
        case 3:
            (domainText, busText, slotText) = (Substring(fields[0]), Substring(fields[1]), Substring(fields[2]))
        default:
            return nil
        }
        let slot = slotText.split(separator: ".", omittingEmptySubsequences: false)
        guard slot.count == 2,
              let domain = Self.hex(domainText, width: 4).map(UInt16.init),
              let bus = Self.hex(busText, width: 2).map(UInt8.init),
              let device = Self.hex(slot[0], width: 2).map(UInt8.init),
              let function = Self.hex(slot[1], width: 1).map(UInt8.init)
        else { return nil }
        self.init(domain: domain, bus: bus, device: device, function: function)
    }

    private static func hex(_ text: Substring, width: Int) -> UInt32? {
        guard text.utf8.count == width, text.utf8.allSatisfy(\.isASCIIHexDigit) else { return nil }
        return UInt32(text, radix: 16)
    }

    /// The canonical kernel spelling, lower-case hex with the domain.
    public var description: String {
        zeroPaddedHex(domain, 4) + ":" + zeroPaddedHex(bus, 2) + ":" + zeroPaddedHex(device, 2) + "." + String(function)
    }

    /// The slot this function belongs to, for grouping multifunction siblings.
    public var slot: PCIAddress {
        PCIAddress(domain: domain, bus: bus, device: device, function: 0)!
    }

    public static func < (lhs: PCIAddress, rhs: PCIAddress) -> Bool {
        (lhs.domain, lhs.bus, lhs.device, lhs.function) < (rhs.domain, rhs.bus, rhs.device, rhs.function)
    }
}

extension PCIAddress: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let address = PCIAddress(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a PCI address: \(text)")
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension UInt8 {
    var isASCIIHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}

/// Zero-padded lower-case hex, e.g. `zeroPaddedHex(0x1f, 4)` is `001f`.
public func zeroPaddedHex(_ value: some BinaryInteger, _ width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
