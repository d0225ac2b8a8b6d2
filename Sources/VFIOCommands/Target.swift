import ArgumentParser
import VFIOSysfs

/// A command-line target: an IOMMU group number, a PCI address or a selector
/// (`net:`, `block:`, `id:`). Parsed strictly before anything is read; an
/// address means the device's group; a selector is resolved to addresses
/// (`expand`) before anything else is read.
package enum Target: Hashable, Sendable, CustomStringConvertible {
    case group(IOMMUGroupID)
    case device(PCIAddress)
    case selector(DeviceSelector)

    package init?(argument: String) {
        if let group = IOMMUGroupID(argument) {
            self = .group(group)
        } else if let address = PCIAddress(argument) {
            self = .device(address)
        } else if let selector = DeviceSelector(argument) {
            self = .selector(selector)
        } else {
            return nil
        }
    }

    /// Parses every argument, or names the first bad one.
    static func parseAll(_ arguments: [String]) throws(ValidationError) -> [Target] {
        guard !arguments.isEmpty else { throw ValidationError("name at least one IOMMU group or PCI address") }
        return try arguments.map { (argument) throws(ValidationError) in
            guard let target = Target(argument: argument) else {
                throw ValidationError("\(argument.debugDescription) is not an IOMMU group number, a PCI address "
                    + "(DDDD:BB:DD.F or BB:DD.F) or a selector (net:IFACE, block:NAME, id:VVVV:DDDD)")
            }
            return target
        }
    }

    package var description: String {
        switch self {
        case .group(let id): "group \(id)"
        case .device(let address): address.description
        case .selector(let selector): selector.description
        }
    }

    /// The group the target names. Nil for a device that has no group; a
    /// target that does not exist under the root is a usage error.
    func resolve(_ reader: SysfsReader) throws(CommandFailure) -> (group: IOMMUGroupID?, device: PCIDevice?) {
        try requireExists(reader)
        switch self {
        case .group(let id):
            return (id, nil)
        case .device(let address):
            let device = reader.device(address)
            return (device.iommuGroup, device)
        case .selector(let selector):
            throw CommandFailure(.failure, code: "internal", "\(selector) was not resolved before use")
        }
    }

    /// A target that does not exist under the root is a usage error naming the path.
    func requireExists(_ reader: SysfsReader) throws(CommandFailure) {
        switch self {
        case .group(let id) where !reader.groupExists(id):
            throw .usage("no-such-group", "no IOMMU group \(id): \(reader.root.group(id)) does not exist")
        case .device(let address) where !reader.deviceExists(address):
            throw .usage("no-such-device", "no PCI device \(address): \(reader.root.device(address)) does not exist")
        default:
            return
        }
    }
}

extension ArgumentHelp {
    /// The targets of a command that acts on whole groups.
    static let groupTargets = ArgumentHelp(
        "IOMMU group numbers, PCI addresses or selectors (net:IFACE, block:NAME, id:VVVV:DDDD); a device means its group.",
        valueName: "target")
}
