import Testing
@testable import VFIOSysfs

@Suite struct ReservedRegionTests {
    @Test(arguments: [
        ("0x00000000fee00000 0x00000000feefffff msi", 0xfee0_0000, 0xfeef_ffff, ReservedRegion.Kind.msi),
        ("0x0000000000000000 0x0000000000ffffff direct-relaxable", 0, 0xff_ffff, .directRelaxable),
        ("0x00000000bd000000 0x00000000bdffffff direct", 0xbd00_0000, 0xbdff_ffff, .direct),
        ("0x000000fd00000000 0x000000ffffffffff reserved", 0xfd_0000_0000, 0xff_ffff_ffff, .reserved),
        ("0x0000000008000000 0x00000000080fffff something-new", 0x800_0000, 0x80f_ffff, .other("something-new")),
    ])
    func parsesKernelLines(line: String, start: UInt64, end: UInt64, kind: ReservedRegion.Kind) throws {
        let region = try #require(ReservedRegion(line: line))
        #expect(region.start == start)
        #expect(region.end == end)
        #expect(region.kind == kind)
    }

    @Test(arguments: [
        "", "msi", "0xfee00000 msi", "fee00000 feefffff msi", "0xfeefffff 0xfee00000 msi",
        "0xzz 0x1 msi", "0x1 0x2 msi extra",
    ])
    func rejectsMalformedLines(line: String) {
        #expect(ReservedRegion(line: line) == nil)
    }

    @Test func keepsMalformedLinesApart() {
        let parsed = ReservedRegion.parseFile("0x00000000fee00000 0x00000000feefffff msi\ngarbage\n")
        #expect(parsed.regions.count == 1)
        #expect(parsed.malformed == ["garbage"])
    }
}
