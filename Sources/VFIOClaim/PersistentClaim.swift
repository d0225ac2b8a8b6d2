import LinuxSystem
import VFIOCore
import VFIOSysfs

/// A group to claim at every boot: its members by address and identity, the
/// driver and the owner. One file per entry under the config directory:
///
///     # a comment
///     driver vfio-pci
///     owner 65534:65534
///     device 0000:03:02.0 1b36:0010 1af4:1100 serial=00-11-22-33-44-55-66-77
///
/// `device` lines list every PCI member of the group when it was written
/// (bridges too), with vendor:device, subsystem vendor:device and the Device
/// Serial Number when the device has one.
public struct PersistentClaim: Hashable, Sendable {
    public struct Member: Hashable, Sendable {
        public let address: PCIAddress
        public let vendor: UInt16
        public let device: UInt16
        public let subsystemVendor: UInt16
        public let subsystemDevice: UInt16
        public let serial: String?

        /// What the device at that address is now, as a member line would record it.
        ///
        /// The corresponding files are the device's `uevent` (or ID attributes) and `config` (the DSN).
        public init?(_ device: PCIDevice, root: HostRoot) {
            guard let vendor = device.vendorID, let id = device.deviceID else { return nil }
            self.init(address: device.address, vendor: vendor, device: id,
                      subsystemVendor: device.subsystemVendorID ?? 0, subsystemDevice: device.subsystemDeviceID ?? 0,
                      serial: ConfigSpace.of(device.address, root: root)?.deviceSerialNumber)
        }

        init(address: PCIAddress, vendor: UInt16, device: UInt16, subsystemVendor: UInt16, subsystemDevice: UInt16,
             serial: String?) {
            self.address = address
            self.vendor = vendor
            self.device = device
            self.subsystemVendor = subsystemVendor
            self.subsystemDevice = subsystemDevice
            self.serial = serial
        }

        /// `1234:11e8 (subsystem 1af4:1100)`
        public var identity: String {
            "\(zeroPaddedHex(vendor, 4)):\(zeroPaddedHex(device, 4)) (subsystem "
                + "\(zeroPaddedHex(subsystemVendor, 4)):\(zeroPaddedHex(subsystemDevice, 4))"
                + (serial.map { ", serial \($0)" } ?? "") + ")"
        }

        /// The `device` line.
        var line: String {
            "device \(address) \(zeroPaddedHex(vendor, 4)):\(zeroPaddedHex(device, 4)) "
                + "\(zeroPaddedHex(subsystemVendor, 4)):\(zeroPaddedHex(subsystemDevice, 4))"
                + (serial.map { " serial=\($0)" } ?? "")
        }
    }

    /// The file's name without `.conf`: the first member's address.
    public var name: String { members.first?.address.description ?? "empty" }
    /// `vfio-pci`, a variant driver's name, or `auto`.
    public let driver: String
    /// `uid:gid`, as `claim --owner` recorded it.
    public let owner: String?
    public let members: [Member]

    public init(driver: String, owner: String?, members: [Member]) {
        self.driver = driver
        self.owner = owner
        self.members = members.sorted { $0.address < $1.address }
    }

    /// What the udev rule writes to `driver_override` for the entry's devices:
    /// the driver, or vfio-pci for `auto` (apply then picks the variant).
    public var heldDriver: String {
        if case .named(let name) = DriverChoice(driver) { return name.rawValue }
        return DriverChoice.vfioPCI.rawValue
    }

    /// The file's text.
    public var text: String {
        (["# vfioadm persistent claim: vfioadm apply (and apply --boot at every boot) claims this group",
          "# again only while every device below is still at its address, with the same identity, and",
          "# the group has no other member. Written by vfioadm claim --persist; see vfioadm(1).",
          "driver \(driver)"] + (owner.map { ["owner \($0)"] } ?? []) + members.map(\.line))
            .joined(separator: "\n") + "\n"
    }
}

extension PersistentClaim {
    /// A line that does not parse: the file, the line number and why.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let file: String
        public let line: Int
        public let reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// Parses an entry's text, naming `file` and the line in every error.
    public static func parse(_ text: String, file: String) throws(ParseError) -> PersistentClaim {
        var driver: String?
        var owner: String?
        var members: [Member] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            func fail(_ reason: String) -> ParseError { ParseError(file: file, line: number, reason: reason) }
            let fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let keyword = fields.first, !keyword.hasPrefix("#") else { continue }
            switch keyword {
            case "driver":
                guard fields.count == 2, driver == nil else { throw fail("expected one 'driver NAME' line") }
                let name = String(fields[1])
                guard DriverChoice(name) != nil else {
                    throw fail("driver \(name.debugDescription) is not vfio-pci, a VFIO variant driver or auto")
                }
                driver = name
            case "owner":
                guard fields.count == 2, owner == nil else { throw fail("expected one 'owner UID:GID' line") }
                let parts = fields[1].split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, parts.allSatisfy({ UInt32($0) != nil }) else {
                    throw fail("owner \(String(fields[1]).debugDescription) is not UID:GID")
                }
                owner = String(fields[1])
            case "device":
                guard fields.count == 4 || fields.count == 5 else {
                    throw fail("expected 'device DDDD:BB:DD.F VVVV:DDDD SVVV:SDDD [serial=XX-...-XX]'")
                }
                guard fields[1].count == 12, let address = PCIAddress(fields[1]) else {
                    throw fail("\(String(fields[1]).debugDescription) is not a PCI address DDDD:BB:DD.F")
                }
                guard let ids = Self.pair(fields[2]), let subsystem = Self.pair(fields[3]) else {
                    throw fail("IDs must be four hex digits each, VVVV:DDDD SVVV:SDDD")
                }
                var serial: String?
                if fields.count == 5 {
                    let value = fields[4].dropFirst("serial=".count)
                    guard fields[4].hasPrefix("serial="), Self.isSerial(value) else {
                        throw fail("\(String(fields[4]).debugDescription) is not serial=XX-XX-XX-XX-XX-XX-XX-XX")
                    }
                    serial = String(value)
                }
                guard !members.contains(where: { $0.address == address }) else { throw fail("\(address) is listed twice") }
                members.append(Member(address: address, vendor: ids.0, device: ids.1, subsystemVendor: subsystem.0,
                                      subsystemDevice: subsystem.1, serial: serial))
            default:
                throw fail("unknown keyword \(String(keyword).debugDescription) (driver, owner, device or # comment)")
            }
        }
        guard let driver else { throw ParseError(file: file, line: 0, reason: "no 'driver' line") }
        guard !members.isEmpty else { throw ParseError(file: file, line: 0, reason: "no 'device' line") }
        return PersistentClaim(driver: driver, owner: owner, members: members)
    }

    private static func pair(_ field: Substring) -> (UInt16, UInt16)? {
        let parts = field.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isHexDigit) }),
              let first = UInt16(parts[0], radix: 16), let second = UInt16(parts[1], radix: 16)
        else { return nil }
        return (first, second)
    }

    private static func isSerial(_ value: Substring) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 8 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
    }
}
