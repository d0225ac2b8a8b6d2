import VFIOCore
import VFIOSysfs

extension IOVARange {
    /// `{"start": "0x0000000000000000", "last": "0x00000000fedfffff"}`: `0x`-prefixed hex strings, since
    /// JSON numbers lose 64-bit precision.
    struct JSON: JSONShape {
        let value: IOVARange

        private enum CodingKeys: String, CodingKey { case start, last }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("0x" + zeroPaddedHex(value.start, 16), forKey: .start)
            try container.encode("0x" + zeroPaddedHex(value.last, 16), forKey: .last)
        }
    }
}
