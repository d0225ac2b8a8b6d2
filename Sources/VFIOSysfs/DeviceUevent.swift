/// A PCI device's identity and driver from its `uevent` file: one read gives
/// what `vendor`, `device`, `subsystem_vendor`, `subsystem_device`, `class`
/// and the `driver` link give one call each, from the same fields of the
/// kernel's `struct pci_dev` (`pci_uevent` prints `PCI_CLASS=%04X`,
/// `PCI_ID=%04X:%04X`, `PCI_SUBSYS_ID=%04X:%04X`; `dev_uevent` prints
/// `DRIVER=` while a driver is bound).
///
/// The corresponding file is `/sys/bus/pci/devices/DDDD:BB:DD.F/uevent`.
package struct DeviceUevent: Equatable {
    var vendorID: UInt16
    var deviceID: UInt16
    var subsystemVendorID: UInt16
    var subsystemDeviceID: UInt16
    var classCode: UInt32
    /// The `DRIVER=` value as printed; nil when no driver is bound.
    var driver: String?
}

extension DeviceUevent {
    /// Nil unless `PCI_CLASS`, `PCI_ID` and `PCI_SUBSYS_ID` are all present
    /// and well-formed: the caller then reads the attribute files instead.
    package init?(_ text: UnsafeBufferPointer<UInt8>) {
        var classCode: UInt32?
        var ids: (UInt16, UInt16)?
        var subsystem: (UInt16, UInt16)?
        var driver: String?
        for line in text.split(separator: 0x0A) {
            guard let equals = line.firstIndex(of: 0x3D) else { continue }
            let key = UnsafeBufferPointer(rebasing: line[line.startIndex..<equals])
            let value = UnsafeBufferPointer(rebasing: line[(equals + 1)...])
            if Self.matches(key, "PCI_CLASS") {
                classCode = UInt32(digits: value, radix: 16).flatMap { $0 <= 0xFF_FFFF ? $0 : nil }
            } else if Self.matches(key, "PCI_ID") {
                ids = Self.pair(value)
            } else if Self.matches(key, "PCI_SUBSYS_ID") {
                subsystem = Self.pair(value)
            } else if Self.matches(key, "DRIVER") {
                driver = String(decoding: value, as: UTF8.self)
            }
        }
        guard let classCode, let ids, let subsystem else { return nil }
        self.init(vendorID: ids.0, deviceID: ids.1, subsystemVendorID: subsystem.0, subsystemDeviceID: subsystem.1,
                  classCode: classCode, driver: driver)
    }

    /// `VVVV:DDDD` in hex.
    private static func pair(_ value: UnsafeBufferPointer<UInt8>) -> (UInt16, UInt16)? {
        guard let colon = value.firstIndex(of: 0x3A),
              let first = UInt16(digits: UnsafeBufferPointer(rebasing: value[..<colon]), radix: 16),
              let second = UInt16(digits: UnsafeBufferPointer(rebasing: value[(colon + 1)...]), radix: 16)
        else { return nil }
        return (first, second)
    }

    private static func matches(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount
            && key.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }
}
