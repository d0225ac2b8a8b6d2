import Glibc

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address in network byte order.
package struct IPAddress: Hashable, CustomStringConvertible {
    let bytes: [UInt8]

    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses `192.0.2.1` or `2001:db8::1` (a `[...]` around IPv6 is allowed).
    ///
    /// The corresponding call is `inet_pton(3)`.
    package init?(text: some StringProtocol) {
        var text = String(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = [UInt8](repeating: 0, count: 4)
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = v4
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = v6
        } else {
            return nil
        }
    }

    /// Parses procfs hex: 32 digits in network order (`if_inet6`, `ipv6_route`),
    /// or, with `wordsInHostOrder`, 8 or 32 digits printed as native-endian
    /// 32-bit words (`/proc/net/route`, `tcp`, `tcp6`).
    init?(hex: some StringProtocol, wordsInHostOrder: Bool) {
        let digits = Array(hex.utf8)
        guard digits.count == 8 || digits.count == 32, digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        if wordsInHostOrder, UInt32(1).littleEndian == 1 {
            bytes = stride(from: 0, to: bytes.count, by: 4).flatMap { bytes[$0..<$0 + 4].reversed() }
        }
        self.init(bytes: bytes)
    }

    var isIPv4: Bool { bytes.count == 4 }

    /// The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:a.b.c.d`), else itself.
    var unmapped: IPAddress {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff
        else { return self }
        return IPAddress(bytes: Array(bytes[12...])) ?? self
    }

    /// Whether the first `length` bits equal `prefix`'s.
    func matches(_ prefix: IPAddress, length: Int) -> Bool {
        guard prefix.bytes.count == bytes.count, length >= 0, length <= bytes.count * 8 else { return false }
        for bit in 0..<length {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if bytes[bit / 8] & mask != prefix.bytes[bit / 8] & mask { return false }
        }
        return true
    }

    /// The corresponding call is `inet_ntop(3)`.
    package var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = bytes.withUnsafeBytes { raw in
            inet_ntop(isIPv4 ? AF_INET : AF_INET6, raw.baseAddress, &text, socklen_t(text.count))
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
