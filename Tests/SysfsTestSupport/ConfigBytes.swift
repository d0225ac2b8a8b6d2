/// Synthetic PCI config space for hand-built trees: a header, optionally a PCI
/// Express capability at 0x40 and an ACS extended capability at 0x100.
public enum ConfigBytes {
    /// PCI Express Device/Port Type values (bits 7:4 of the PCI Express Capabilities register).
    public enum PortType: UInt8, Sendable {
        case endpoint = 0x0, rootPort = 0x4, upstreamPort = 0x5, downstreamPort = 0x6
        case pcieToPCIBridge = 0x7, pciToPCIeBridge = 0x8, integratedEndpoint = 0x9
    }

    /// Config space as root reads it: 4096 bytes for PCI Express, 256 for conventional PCI.
    /// `acs` is the (capability, control) register pair; `secondaryBus` goes at 0x19 of a bridge.
    public static func make(
        vendor: UInt16 = 0x1234, device: UInt16 = 0x11e8, headerType: UInt8 = 0, pcie: PortType? = nil,
        acs: (capability: UInt16, control: UInt16)? = nil, secondaryBus: UInt8? = nil
    ) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: pcie == nil ? 256 : 4096)
        put16(&bytes, 0x00, vendor)
        put16(&bytes, 0x02, device)
        bytes[0x0E] = headerType
        if let secondaryBus {
            bytes[0x18] = 0
            bytes[0x19] = secondaryBus
            bytes[0x1A] = secondaryBus
        }
        if let pcie {
            bytes[0x06] = 0x10  // Status: capabilities list
            bytes[0x34] = 0x40
            bytes[0x40] = 0x10  // PCI Express, last in the list
            bytes[0x41] = 0x00
            put16(&bytes, 0x42, UInt16(pcie.rawValue) << 4 | 0x2)
        }
        if let acs {
            put32(&bytes, 0x100, 0x000D | 1 << 16)  // ACS, version 1, last in the list
            put16(&bytes, 0x104, acs.capability)
            put16(&bytes, 0x106, acs.control)
        }
        return bytes
    }

    private static func put16(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt16) {
        bytes[offset] = UInt8(value & 0xFF)
        bytes[offset + 1] = UInt8(value >> 8)
    }

    private static func put32(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        put16(&bytes, offset, UInt16(value & 0xFFFF))
        put16(&bytes, offset + 2, UInt16(value >> 16))
    }
}
