import VFIOSysfs

extension ReservedRegion {
    /// `{"start": "0x00000000fee00000", "end": "0x00000000feefffff", "kind": "msi"}`: addresses as
    /// `0x`-prefixed hex strings, since JSON numbers lose 64-bit precision.
    struct JSON: JSONShape {
        let value: ReservedRegion

        private enum CodingKeys: String, CodingKey { case start, end, kind }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("0x" + zeroPaddedHex(value.start, 16), forKey: .start)
            try container.encode("0x" + zeroPaddedHex(value.end, 16), forKey: .end)
            try container.encode(value.kind.description, forKey: .kind)
        }
    }
}
