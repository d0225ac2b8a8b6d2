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
    /// fixed-width hex fields, device below 0x20 and function below 8. Reads
    /// the bytes once, without splitting: it runs for every device `list` sees.
    public init?(_ text: some StringProtocol) {
        let utf8 = text.utf8
        guard utf8.count == 12 || utf8.count == 7 else { return nil }
        var bytes = utf8.makeIterator()
        func hex(_ width: Int) -> UInt32? {
            var value: UInt32 = 0
            for _ in 0..<width {
                guard let byte = bytes.next(), let digit = byte.hexDigitValue else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        func separator(_ expected: UInt8) -> Bool { bytes.next() == expected }
        let domain: UInt32? = utf8.count == 12 ? (hex(4).flatMap { separator(0x3A) ? $0 : nil }) : 0
        guard let domain, let bus = hex(2), separator(0x3A), let device = hex(2), separator(0x2E),
              let function = hex(1)
        else { return nil }
        self.init(domain: UInt16(domain), bus: UInt8(bus), device: UInt8(device), function: UInt8(function))
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
    /// The value of an ASCII hex digit (either case), nil for any other byte.
    var hexDigitValue: UInt8? {
        switch self {
        case 0x30...0x39: self - 0x30
        case 0x41...0x46: self - 0x41 + 10
        case 0x61...0x66: self - 0x61 + 10
        default: nil
        }
    }
}
