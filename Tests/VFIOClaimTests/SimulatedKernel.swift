import Foundation
import LinuxSystem
import SysfsTestSupport
@testable import VFIOClaim
import VFIOCore
import VFIOSysfs

/// Plays the kernel's part for sysfs writes on a `SysfsTree`: driver_override,
/// unbind, bind and drivers_probe change the tree's links as the PCI core would.
/// It can fail one write with an errno, or stop working after N writes (a crash).
final class SimulatedKernel: AttributeWriter, @unchecked Sendable {
    private let tree: SysfsTree
    /// The driver each device's IDs match (what drivers_probe picks without an override).
    private let native: [String: String]
    private let lock = NSLock()
    private var failures: [Int: Int32]
    private let crashAfter: Int?
    private(set) var log: [SysfsWrite] = []

    init(_ tree: SysfsTree, native: [String: String], failures: [Int: Int32] = [:], crashAfter: Int? = nil) {
        self.tree = tree
        self.native = native
        self.failures = failures
        self.crashAfter = crashAfter
    }

    func perform(_ write: SysfsWrite) -> Result<Void, Errno> {
        lock.lock()
        defer { lock.unlock() }
        let index = log.count + 1
        if let crashAfter, log.count >= crashAfter { return .failure(Errno(rawValue: EIO)) }
        if let code = failures.removeValue(forKey: index) { return .failure(Errno(rawValue: code)) }
        let result = apply(write)
        if case .success = result { log.append(write) }
        return result
    }

    private func apply(_ write: SysfsWrite) -> Result<Void, Errno> {
        let relative = String(write.path.dropFirst(tree.root.path.count + 1))
        let parts = relative.split(separator: "/").map(String.init)
        let address = write.device.description
        do {
            if relative.hasSuffix("/driver_override") {
                let value = write.value.trimmingCharacters(in: .newlines)
                try tree.write("sys/devices/pci0000:00/\(address)/driver_override", (value.isEmpty ? "(null)" : value) + "\n")
            } else if relative == "sys/bus/pci/drivers_probe" {
                guard current(address) == nil else { return .success(()) }
                let override = overrideValue(address)
                guard let driver = override ?? native[address] else { return .success(()) }
                guard driverExists(driver) else { return .success(()) }  // no such driver: nothing binds
                try bind(address, driver)
            } else if parts.count == 6, parts[3] == "drivers", parts[5] == "unbind" {
                guard current(address) == parts[4] else { return .failure(Errno(rawValue: ENODEV)) }
                try tree.setDriver(address, nil)
                try? FileManager.default.removeItem(at: tree.root.appendingPathComponent(
                    "sys/devices/pci0000:00/\(address)/vfio-dev"))
            } else if parts.count == 6, parts[3] == "drivers", parts[5] == "bind" {
                guard current(address) == nil else { return .failure(Errno(rawValue: EBUSY)) }
                let override = overrideValue(address)
                guard override.map({ $0 == parts[4] }) ?? (native[address] == parts[4]) else {
                    return .failure(Errno(rawValue: ENODEV))
                }
                try bind(address, parts[4])
            } else {
                return .failure(Errno(rawValue: EACCES))
            }
        } catch {
            return .failure(Errno(rawValue: EIO))
        }
        return .success(())
    }

    private func bind(_ address: String, _ driver: String) throws {
        try tree.setDriver(address, driver)
        if driver == "vfio-pci" {
            try tree.write("sys/devices/pci0000:00/\(address)/vfio-dev/vfio\(address.last!)/dev", "511:0\n")
        }
    }

    private func driverExists(_ driver: String) -> Bool {
        FileManager.default.fileExists(atPath: tree.root.appendingPathComponent("sys/bus/pci/drivers/\(driver)").path)
    }

    func current(_ address: String) -> String? {
        let link = tree.root.appendingPathComponent("sys/devices/pci0000:00/\(address)/driver").path
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: link))?.split(separator: "/").last.map(String.init)
    }

    func overrideValue(_ address: String) -> String? {
        let path = tree.root.appendingPathComponent("sys/devices/pci0000:00/\(address)/driver_override").path
        let text = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "(null)").trimmingCharacters(in: .newlines)
        return text == "(null)" ? nil : text
    }
}

/// Says every group is viable, or what it is told; counts the calls.
final class StubViability: GroupViability, @unchecked Sendable {
    private let answer: Bool
    private(set) var calls = 0
    init(_ answer: Bool = true) { self.answer = answer }
    func isViable(_ group: IOMMUGroupID) throws(ClaimError) -> Bool {
        calls += 1
        return answer
    }
}
