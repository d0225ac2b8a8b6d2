import Testing
@testable import VFIOSysfs

@Suite struct PCIAddressTests {
    @Test(arguments: [
        ("0000:00:1f.3", "0000:00:1f.3"),
        ("00:1f.3", "0000:00:1f.3"),
        ("abcd:ff:1f.7", "abcd:ff:1f.7"),
        ("ABCD:FF:1F.7", "abcd:ff:1f.7"),
        ("0001:02:00.0", "0001:02:00.0"),
    ])
    func parsesKernelSpellings(input: String, canonical: String) throws {
        let address = try #require(PCIAddress(input))
        #expect(address.description == canonical)
    }

    @Test(arguments: [
        "", "0", "00:1f", "0000:00:1f", "0000:00:20.0", "0000:00:1f.8", "000:00:1f.0", "00000:00:1f.0",
        "0000:0:1f.0", "0000:00:1f.03", "0000:00:1f.-1", "0000:00:1f.0 ", " 0000:00:1f.0", "0000:00:1g.0",
        "../0000:00:1f.0", "0000:00:1f.0/../..", "0000:00:1f.0\n", "0x00:00:1f.0", "0000:00:1f:0", "+000:00:1f.0",
        "0000:00:1f.0.0", "０000:00:1f.0",
    ])
    func rejectsEverythingElse(input: String) {
        #expect(PCIAddress(input) == nil)
    }

    @Test func ordersByDomainBusDeviceFunction() throws {
        let sorted = ["0001:00:00.0", "0000:01:00.0", "0000:00:02.1", "0000:00:02.0"].compactMap(PCIAddress.init).sorted()
        #expect(sorted.map(\.description) == ["0000:00:02.0", "0000:00:02.1", "0000:01:00.0", "0001:00:00.0"])
    }

    @Test(arguments: [("0", 0), ("12", 12), ("4294967295", 4_294_967_295)])
    func parsesGroupNumbers(input: String, value: UInt32) throws {
        #expect(try #require(IOMMUGroupID(input)).rawValue == value)
    }

    @Test(arguments: ["", "-1", "+1", "1a", " 1", "4294967296", "99999999999", "1.0", "../1", "٣"])
    func rejectsBadGroupNumbers(input: String) {
        #expect(IOMMUGroupID(input) == nil)
    }

    @Test(arguments: [
        ("vfio-pci", true, true), ("mlx5_vfio_pci", true, true), ("nvgrace-gpu-vfio-pci", true, true),
        ("pci-stub", true, false), ("pcieport", true, false), ("nvme", false, false), ("e1000e", false, false),
        ("vfio-pcie", false, false), ("xvfio-pci", false, false),
    ])
    func knowsDriversThatManageDMA(name: String, managesDMA: Bool, isVFIO: Bool) throws {
        let driver = try #require(DriverName(rawValue: name))
        #expect(driver.managesDMA == managesDMA)
        #expect(driver.isVFIO == isVFIO)
    }

    @Test(arguments: ["", ".", "..", "../nvme", "nv/me", "nvme\n", "a b", String(repeating: "x", count: 65)])
    func rejectsDriverNamesThatAreNotNames(name: String) {
        #expect(DriverName(rawValue: name) == nil)
    }
}
