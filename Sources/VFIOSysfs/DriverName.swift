/// A kernel driver name as it appears under `/sys/bus/pci/drivers`: letters,
/// digits, `_`, `-` and `.`, at most 64 bytes, never `.` or `..`. Checked before
/// it is ever joined into a path.
public struct DriverName: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        let bytes = rawValue.utf8
        guard (1...64).contains(bytes.count), rawValue != ".", rawValue != "..",
              bytes.allSatisfy({ $0.isASCIIAlphanumeric || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E })
        else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// Whether the kernel's driver sets `driver_managed_dma`: binding it does not
    /// take the group's DMA ownership (vfio-pci and its variants, pci-stub, pcieport).
    public var managesDMA: Bool {
        let name = rawValue.replacingUnderscores()
        return name == "vfio-pci" || name.hasSuffix("-vfio-pci") || name == "pci-stub" || name == "pcieport"
    }

    /// Whether this is vfio-pci or one of its variant drivers.
    public var isVFIO: Bool {
        let name = rawValue.replacingUnderscores()
        return name == "vfio-pci" || name.hasSuffix("-vfio-pci")
    }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(decoding: utf8.map { $0 == 0x5F ? 0x2D : $0 }, as: UTF8.self)
    }
}
