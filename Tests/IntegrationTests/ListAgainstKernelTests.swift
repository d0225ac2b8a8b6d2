import Foundation
import Testing
import VFIOSysfs

extension GuestDevices {
    /// `list` reads a device's IDs, class and driver from its `uevent` in one
    /// read; here every device's report is checked against the attribute files
    /// and the `driver` link of the running kernel, read independently.
    @Suite struct ListAgainstKernelTests {
        private static let devices = "/sys/bus/pci/devices"

        private func attribute(_ address: String, _ name: String) throws -> String {
            try String(contentsOfFile: "\(Self.devices)/\(address)/\(name)", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        private func driverLink(_ address: String) -> String? {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(Self.devices)/\(address)/driver"))
                .map { ($0 as NSString).lastPathComponent }
        }

        @Test func everyDeviceMatchesItsAttributeFiles() throws {
            // One edu on vfio-pci, so the report has a device of each kind: kernel driver,
            // vfio-pci, none. (Under virtio-iommu the edu behind the bridge cannot be bound.)
            let edu = try #require(Guest.edus.map(\.address).first { Guest.topology != "virtio" || $0.bus != 3 })
            if Guest.hasIOMMU { try SysfsWrite.bindVFIO(edu) }
            defer { if Guest.hasIOMMU { try? SysfsWrite.release(edu) } }

            let list = try VFIOAdmBinary.json(["list"])
            let grouped = (list.object["groups"] as? [[String: Any]] ?? []).flatMap { $0["devices"] as? [[String: Any]] ?? [] }
            let reported = grouped + (list.object["ungroupedDevices"] as? [[String: Any]] ?? [])
            let addresses = try FileManager.default.contentsOfDirectory(atPath: Self.devices).sorted()
            #expect(reported.compactMap { $0["address"] as? String }.sorted() == addresses)
            #expect(addresses.count >= 8, "the topologies have at least eight PCI functions")

            var drivers: Set<String> = []
            for device in reported {
                let address = try #require(device["address"] as? String)
                let uevent = try attribute(address, "uevent")
                #expect(uevent.contains("PCI_ID="), "\(address)/uevent has no PCI_ID: vfioadm would read the files")
                #expect((device["vendor"] as? [String: Any])?["id"] as? String == (try attribute(address, "vendor")))
                #expect((device["device"] as? [String: Any])?["id"] as? String == (try attribute(address, "device")))
                #expect(device["subsystemVendor"] as? String == (try attribute(address, "subsystem_vendor")))
                #expect(device["subsystemDevice"] as? String == (try attribute(address, "subsystem_device")))
                #expect((device["class"] as? [String: Any])?["id"] as? String == (try attribute(address, "class")))
                #expect(device["driver"] as? String == driverLink(address), "\(address)")
                #expect((device["problems"] as? [Any])?.isEmpty == true, "\(address): \(device["problems"] ?? "")")
                drivers.insert(driverLink(address) ?? "-")
            }
            if Guest.hasIOMMU { #expect(drivers.contains("vfio-pci")) }
        }
    }
}
