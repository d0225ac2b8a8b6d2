/// A number parsed straight from an attribute's bytes, or the text that did not parse.
enum Parsed<T: FixedWidthInteger> {
    case value(T)
    case malformed(String)

    /// `0x`-prefixed hex, as `vendor`, `class` and the other ID attributes read.
    static func hex(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed {
        if bytes.count > 2, bytes[0] == 0x30, bytes[1] == 0x78,
           let value = T(digits: UnsafeBufferPointer(rebasing: bytes[2...]), radix: 16)
        {
            return .value(value)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("0x"), let value = T(text.dropFirst(2), radix: 16) { return .value(value) }  // e.g. a sign
        return .malformed(text)
    }

    /// Decimal, as `numa_node` and `sriov_numvfs` read.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed {
        let negative = bytes.first == 0x2D
        if let magnitude = T(digits: UnsafeBufferPointer(rebasing: bytes[(negative ? 1 : 0)...]), radix: 10) {
            if !negative { return .value(magnitude) }
            if T.isSigned { return .value(0 - magnitude) }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if let value = T(text) { return .value(value) }
        return .malformed(text)
    }
}

extension FixedWidthInteger {
    /// Plain digits only (no sign, no prefix), nil when empty, malformed or too large.
    init?(digits: UnsafeBufferPointer<UInt8>, radix: Self) {
        guard !digits.isEmpty else { return nil }
        var value: Self = 0
        for byte in digits {
            guard let digit = byte.hexDigitValue, Self(digit) < radix else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
            let (sum, carry) = shifted.addingReportingOverflow(Self(digit))
            guard !overflow, !carry else { return nil }
            value = sum
        }
        self = value
    }
}
