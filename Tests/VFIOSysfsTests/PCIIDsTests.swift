import Testing
@testable import VFIOSysfs

@Suite struct PCIIDsTests {
    static let database = """
    # comment
    1234  Technical Corp.
    \t11e8  QEMU edu
    \t\t1af4 1100  Subsystem line
    1b36  Red Hat, Inc.
    \t0010  QEMU NVM Express Controller
    8086  Intel Corporation
    \t10d3  82574L Gigabit Network Connection

    C 01  Mass storage controller
    \t08  Non-Volatile memory controller
    \t\t02  NVM Express
    C 02  Network controller
    """

    @Test func namesOnlyTheVendorsAskedFor() {
        let ids = PCIIDs(path: "test", bytes: Array(Self.database.utf8), vendorIDs: [0x1234, 0x1b36])
        #expect(ids.vendorName(0x1234) == "Technical Corp.")
        #expect(ids.deviceName(vendor: 0x1234, device: 0x11e8) == "QEMU edu")
        #expect(ids.deviceName(vendor: 0x1b36, device: 0x0010) == "QEMU NVM Express Controller")
        #expect(ids.vendorName(0x8086) == nil)
        #expect(ids.deviceName(vendor: 0x8086, device: 0x10d3) == nil)
    }

    @Test(arguments: [
        (UInt32(0x010802), "Non-Volatile memory controller"), (0x020000, "Network controller"), (0x0c0330, nil),
    ] as [(UInt32, String?)])
    func namesClassesBySubclassThenBase(code: UInt32, name: String?) {
        let ids = PCIIDs(path: "test", bytes: Array(Self.database.utf8), vendorIDs: [])
        #expect(ids.className(code) == name)
    }
}
