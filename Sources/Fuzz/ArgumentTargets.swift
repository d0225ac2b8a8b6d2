import ArgumentParser
import VFIOClaim
import VFIOCommands
import VFIOSysfs

extension FuzzTarget {
    /// What an administrator types: one argument, and a whole command line.
    static let argumentTargets: [FuzzTarget] = [
        // A target (group, address, selector), a byte size, an owner, a driver: each parser that takes one argument.
        FuzzTarget(name: "arguments") { bytes in
            let argument = String(decoding: bytes, as: UTF8.self)
            if let target = Target(argument: argument) {
                switch target {
                case .group(let id): require(IOMMUGroupID(id.description) == id, "group \(id) does not reparse")
                case .device(let address): require(PCIAddress(address.description) == address, "\(address) does not reparse")
                case .selector(let selector):
                    require(DeviceSelector(selector.description) == selector, "\(selector) does not reparse")
                }
            }
            _ = ByteSize(argument: argument)?.description
            _ = NodeOwner.resolve(argument)
            _ = DriverChoice(argument)
        },
        // A command line, NUL between arguments: parsed and validated as `vfioadm` does before running anything.
        FuzzTarget(name: "command-line") { bytes in
            let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            _ = try? VFIOAdm.parseAsRoot(arguments)
        },
    ]
}
