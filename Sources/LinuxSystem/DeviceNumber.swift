/// A Linux device number, `major:minor` as sysfs `dev` attributes print it.
public struct DeviceNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    public let major: UInt32
    public let minor: UInt32

    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    /// Parses `511:3`.
    public init?(_ text: some StringProtocol) {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2,
              fields.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              let major = UInt32(fields[0]), let minor = UInt32(fields[1])
        else { return nil }
        self.init(major: major, minor: minor)
    }

    /// Decodes a `dev_t` as glibc encodes it (`gnu_dev_major` / `gnu_dev_minor`).
    public init(rdev: UInt64) {
        major = UInt32(truncatingIfNeeded: ((rdev & 0x0000_0000_000f_ff00) >> 8) | ((rdev & 0xffff_f000_0000_0000) >> 32))
        minor = UInt32(truncatingIfNeeded: (rdev & 0x0000_0000_0000_00ff) | ((rdev & 0x0000_0fff_fff0_0000) >> 12))
    }

    public var description: String { "\(major):\(minor)" }
}
