extension PCIIDs {
    /// The part of a `pci.ids` text that `load` uses for `vendorIDs`: each
    /// such vendor's line with its device and subsystem lines, and every class
    /// line, in their order. Loaded for the same vendors, the subset names
    /// everything as the whole database does; a support bundle carries it.
    public static func subset(_ text: [UInt8], vendorIDs: Set<UInt16>, source: String) -> [UInt8] {
        var kept = Array("# The pci.ids lines vfioadm capture kept from \(source)\n".utf8)
        text.withUnsafeBufferPointer { text in
            var keeping = false
            var lineStart = 0
            while lineStart < text.count {
                let lineEnd = text[lineStart...].firstIndex(of: 0x0A) ?? text.count
                let line = text[lineStart..<lineEnd]
                lineStart = lineEnd + 1
                guard let first = line.first, first != 0x23 else { continue }
                if first == 0x09 {
                    guard keeping else { continue }
                } else if first == 0x43, line.count > 2, line[line.startIndex + 1] == 0x20 {
                    keeping = true
                } else if let (id, _) = entry(line, digits: 4) {
                    keeping = vendorIDs.contains(UInt16(id))
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
