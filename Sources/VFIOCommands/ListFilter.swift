import VFIOSysfs

/// The `list` filters; a group is kept when any of its devices matches all given filters.
struct ListFilter: Sendable {
    var groups: Set<IOMMUGroupID> = []
    var addresses: Set<PCIAddress> = []
    var drivers: Set<String> = []
    var classPrefixes: [ClassPrefix] = []

    var isEmpty: Bool { groups.isEmpty && addresses.isEmpty && drivers.isEmpty && classPrefixes.isEmpty }

    func keeps(_ group: IOMMUGroup) -> Bool {
        if !groups.isEmpty, !groups.contains(group.id) { return false }
        if addresses.isEmpty, drivers.isEmpty, classPrefixes.isEmpty { return true }
        return group.devices.contains(where: keeps)
    }

    func keeps(_ device: PCIDevice) -> Bool {
        if !addresses.isEmpty, !addresses.contains(device.address) { return false }
        if !drivers.isEmpty, !drivers.contains(device.driver?.rawValue ?? "none") { return false }
        if !classPrefixes.isEmpty, !classPrefixes.contains(where: { $0.matches(device.classCode) }) { return false }
        return true
    }
}

/// A class filter: 2, 4 or 6 hex digits (base class, subclass, prog-if), `0x` optional.
struct ClassPrefix: Hashable, Sendable {
    let value: UInt32
    let digits: Int

    init?(_ text: String) {
        let body = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
        guard [2, 4, 6].contains(body.utf8.count), let value = UInt32(body, radix: 16),
              body.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        self.value = value
        digits = body.utf8.count
    }

    func matches(_ classCode: UInt32?) -> Bool {
        guard let classCode else { return false }
        return classCode >> UInt32(4 * (6 - digits)) == value
    }
}
