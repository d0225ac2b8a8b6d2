import Foundation
import LinuxSystem
import Testing
import VFIOSysfs

/// The test guest these tests run in (Scripts/vm-run sets VFIOADM_GUEST_TOPOLOGY);
/// outside it every integration test is skipped with that reason.
enum Guest {
    static let topology = ProcessInfo.processInfo.environment["VFIOADM_GUEST_TOPOLOGY"]
    static let enabled = ConditionTrait.enabled(if: topology != nil, "runs only inside the test VM (Scripts/vm-run)")
    /// noiommu boots without one; intel-off has VT-d hardware the kernel was told to leave off.
    static var hasIOMMU: Bool { topology != nil && topology != "noiommu" && topology != "intel-off" }

    static let reader = SysfsReader(root: HostRoot())

    /// Devices of a given vendor:device in the guest, by address.
    static func devices(vendor: UInt16, device: UInt16) -> [PCIDevice] {
        ((try? reader.deviceAddresses().get()) ?? []).map(reader.device)
            .filter { $0.vendorID == vendor && $0.deviceID == device }
    }

    static var edus: [PCIDevice] { devices(vendor: 0x1234, device: 0x11e8) }
    static var nvme: PCIDevice? { devices(vendor: 0x1b36, device: 0x0010).first }

    /// Every PCI device's driver and driver_override, as the kernel shows them.
    static func bindings() -> [String: String] {
        var state: [String: String] = [:]
        for address in (try? reader.deviceAddresses().get()) ?? [] {
            let device = reader.device(address)
            state[address.description] = "\(device.driver?.rawValue ?? "-") \(device.driverOverride ?? "(null)")"
        }
        return state
    }

    /// Waits for the NVMe namespace node that nvme's asynchronous probe creates.
    static func waitForNamespace() -> Bool {
        for _ in 0..<200 {
            if FileManager.default.fileExists(atPath: "/dev/nvme0n1") { return true }
            usleep(50_000)
        }
        return false
    }
}

/// Test-side sysfs writes that set up a state for vfioadm to judge.
enum SysfsWrite {
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let errno: Int32
        var description: String { "write \(path): \(String(cString: strerror(errno)))" }
    }

    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, errno: errno) }
        defer { close(fd) }
        let count = text.withCString { Foundation.write(fd, $0, strlen($0)) }
        guard count >= 0 else { throw Failure(path: path, errno: errno) }
    }

    /// Binds a device to vfio-pci the way an admin does: driver_override, unbind, drivers_probe.
    static func bindVFIO(_ address: PCIAddress) throws {
        let device = "/sys/bus/pci/devices/\(address)"
        try write("vfio-pci", to: device + "/driver_override")
        if let driver = Guest.reader.device(address).driver {
            try write(address.description, to: "/sys/bus/pci/drivers/\(driver)/unbind")
        }
        try write(address.description, to: "/sys/bus/pci/drivers_probe")
    }

    /// Undoes `bindVFIO`: clears the override and lets the kernel pick the driver again.
    static func release(_ address: PCIAddress) throws {
        let device = "/sys/bus/pci/devices/\(address)"
        if let driver = Guest.reader.device(address).driver {
            try write(address.description, to: "/sys/bus/pci/drivers/\(driver)/unbind")
        }
        try write("\n", to: device + "/driver_override")
        try? write(address.description, to: "/sys/bus/pci/drivers_probe")  // ENODEV/EINVAL when no driver matches
    }

    static func unbind(_ address: PCIAddress) throws {
        if let driver = Guest.reader.device(address).driver {
            try write(address.description, to: "/sys/bus/pci/drivers/\(driver)/unbind")
        }
    }

    static func probe(_ address: PCIAddress) throws {
        try write(address.description, to: "/sys/bus/pci/drivers_probe")
    }
}

/// Runs the built vfioadm binary in the guest.
enum VFIOAdmBinary {
    static var path: String {
        ProcessInfo.processInfo.environment["VFIOADM_BINARY"] ?? ".build/debug/vfioadm"
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try Subprocess.run(path, arguments)
    }

    static func json(_ arguments: [String]) throws -> (status: Int32, object: [String: Any]) {
        let result = try run(arguments + ["--json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (result.status, try #require(object, "vfioadm \(arguments) printed no JSON object: \(result.stderr)"))
    }
}
