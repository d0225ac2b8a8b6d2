import Foundation
import Testing
@testable import VFIOSysfs

/// The `pci.ids` subset a support bundle carries names everything as the whole database does.
@Suite struct PCIIDsSubsetTests {
    /// The names of `devices` (vendor << 16 | device), their vendors and every class.
    private func names(_ ids: PCIIDs, devices: [UInt32]) -> [String] {
        var names: [String] = []
        for device in devices {
            names.append(ids.vendorName(UInt16(device >> 16)) ?? "-")
            names.append(ids.deviceName(vendor: UInt16(device >> 16), device: UInt16(device & 0xFFFF)) ?? "-")
        }
        for code in stride(from: UInt32(0), through: 0xFFFF00, by: 0x100) { names.append(ids.className(code) ?? "-") }
        return names
    }

    @Test func theSubsetNamesAsTheWholeDatabase() throws {
        let whole = Array(PCIIDsTests.database.utf8)
        let devices: [UInt32] = [0x1234_11e8, 0x8086_10d3, 0x8086_ffff]
        let subset = PCIIDs.subset(whole, devices: Set(devices), source: "test")
        let text = String(decoding: subset, as: UTF8.self)
        #expect(!text.contains("Red Hat"))
        #expect(!text.contains("Subsystem line"))
        #expect(text.contains("NVM Express"))
        let vendors: Set<UInt16> = [0x1234, 0x8086]
        #expect(names(PCIIDs(path: "a", bytes: whole, vendorIDs: vendors), devices: devices)
            == names(PCIIDs(path: "b", bytes: subset, vendorIDs: vendors), devices: devices))
    }

    static let systemDatabase = PCIIDs.defaultPaths.first { FileManager.default.fileExists(atPath: $0) }

    @Test(.enabled(if: systemDatabase != nil, "no pci.ids on this machine"))
    func theSubsetOfTheSystemDatabaseNamesAsTheWhole() throws {
        let path = try #require(Self.systemDatabase)
        let whole = try #require(FileManager.default.contents(atPath: path).map(Array.init))
        // The guest's devices, and IDs the database lacks.
        let devices: [UInt32] = [0x8086_10d3, 0x8086_29c0, 0x1b36_0010, 0x1af4_1041, 0x1af4_1000, 0x10de_ffff, 0x1234_1111]
        let subset = PCIIDs.subset(whole, devices: Set(devices), source: path)
        #expect(subset.count < 20000)
        let vendors = Set(devices.map { UInt16($0 >> 16) })
        #expect(names(PCIIDs(path: "a", bytes: whole, vendorIDs: vendors), devices: devices)
            == names(PCIIDs(path: "b", bytes: subset, vendorIDs: vendors), devices: devices))
    }
}
