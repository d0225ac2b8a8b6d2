/// Zero-padded lower-case hex, e.g. `zeroPaddedHex(0x1f, 4)` is `001f`.
public func zeroPaddedHex(_ value: some BinaryInteger, _ width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
