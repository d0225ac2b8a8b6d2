extension PCIIDs {
    /// The part of a `pci.ids` text that names `devices` (vendor << 16 |
    /// device): their vendors' lines, their own device lines, and every class
    /// line, in their order. Loaded for those vendors, the subset names the
    /// devices, their vendors and every class as the whole database does; a
    /// support bundle carries it.
    public static func subset(_ text: [UInt8], devices: Set<UInt32>, source: String) -> [UInt8] {
        let vendorIDs = Set(devices.map { UInt16($0 >> 16) })
        var kept = Array("# The pci.ids lines vfioadm capture kept from \(source)\n".utf8)
        text.withUnsafeBufferPointer { text in
            var keeping = false
            var vendor: UInt16?
            var lineStart = 0
            while lineStart < text.count {
                let lineEnd = text[lineStart...].firstIndex(of: 0x0A) ?? text.count
                let line = text[lineStart..<lineEnd]
                lineStart = lineEnd + 1
                guard let first = line.first, first != 0x23 else { continue }
                if first == 0x09 {
                    guard keeping else { continue }
                    if let vendor {  // a device line of a vendor kept: only the devices named
                        guard line.dropFirst().first != 0x09, let (id, _) = entry(line.dropFirst(), digits: 4),
                              devices.contains(UInt32(vendor) << 16 | id)
                        else { continue }
                    }
                } else if first == 0x43, line.count > 2, line[line.startIndex + 1] == 0x20 {
                    keeping = true
                    vendor = nil
                } else if let (id, _) = entry(line, digits: 4) {
                    keeping = vendorIDs.contains(UInt16(id))
                    vendor = UInt16(id)
                    guard keeping else { continue }
                } else {
                    keeping = false
                    continue
                }
                kept += line
                kept.append(0x0A)
            }
        }
        return kept
    }
}
