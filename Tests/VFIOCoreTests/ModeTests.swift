import LinuxSystem
import Testing
import VFIOSysfs
@testable import VFIOCore

@Suite("Modes, ranges and IOVA placement")
struct ModeTests {
    @Test func rawValuesAreTheSelftestNames() {
        #expect(Mode.allCases.map(\.rawValue) == ["type1", "type1v2", "iommufd-compat", "iommufd"])
        #expect(Mode(rawValue: "iommufd-compat") == .iommufdCompat)
        #expect(Mode(rawValue: "vfio") == nil)
        #expect(Mode.type1.containerType == .type1)
        #expect(Mode.type1v2.containerType == .type1v2)
        #expect(Mode.iommufdCompat.containerType == .type1v2)
        #expect(Mode.iommufd.containerType == nil)
        #expect(!Mode.iommufd.usesGroup)
    }

    @Test func extensionNames() {
        #expect(VFIOExtension.type1v2.description == "VFIO_TYPE1v2_IOMMU")
        #expect(VFIOExtension.known.map(\.rawValue) == Array(1...10))
        #expect(VFIOExtension(rawValue: 77).description == "extension 77")
    }

    @Test func hostRootDevicePaths() {
        let live = HostRoot()
        #expect(live.container == "/dev/vfio/vfio")
        #expect(live.iommu == "/dev/iommu")
        #expect(live.groupNode(IOMMUGroupID(rawValue: 12)) == "/dev/vfio/12")
        #expect(live.groupNode(IOMMUGroupID(rawValue: 3), noIOMMU: true) == "/dev/vfio/noiommu-3")
        #expect(live.cdev("vfio0") == "/dev/vfio/devices/vfio0")
        #expect(HostRoot("/tmp/x/").groupNode(IOMMUGroupID(rawValue: 1)) == "/tmp/x/dev/vfio/1")
        let split = HostRoot("/tmp/x/", dev: "/tmp/y")
        #expect(split.groupNode(IOMMUGroupID(rawValue: 1)) == "/tmp/y/dev/vfio/1")
        #expect(split.group(IOMMUGroupID(rawValue: 1)) == "/tmp/x/sys/kernel/iommu_groups/1")
        #expect(split.proc == "/tmp/x/proc")
    }

    @Test func iovaRangeArithmetic() throws {
        let whole = try #require(IOVARange(start: 0, last: .max))
        #expect(whole.length == nil)
        let page = try #require(IOVARange(start: 0x1000, length: 0x1000))
        #expect(page.last == 0x1fff)
        #expect(page.length == 0x1000)
        #expect(whole.contains(page))
        #expect(!page.contains(whole))
        #expect(IOVARange(start: 0x2000, length: 0) == nil)
        #expect(IOVARange(start: .max, length: 2) == nil)
        #expect(IOVARange(start: 2, last: 1) == nil)
        #expect(page.overlaps(try #require(IOVARange(start: 0x1fff, last: 0x5000))))
        #expect(!page.overlaps(try #require(IOVARange(start: 0x2000, last: 0x5000))))
        #expect(page.description == "0x0000000000001000-0x0000000000001fff")
    }

    static let x86Ranges = [IOVARange(start: 0, last: 0xfedf_ffff), IOVARange(start: 0xfef0_0000, last: 0x7f_ffff_ffff)]
        .compactMap { $0 }
    static let pageSizes: UInt64 = 0x4020_1000  // 4 KiB, 2 MiB, 1 GiB

    @Test func placementStartsAtTheBottom() {
        #expect(IOVAPlacement.firstFit(length: 4096, in: Self.x86Ranges, avoiding: [], pageSizes: Self.pageSizes) == 0)
    }

    @Test func placementSkipsUsedRangesAndAlignsToLargePages() {
        let used = [IOVARange(start: 0, length: 4096)].compactMap { $0 }
        #expect(IOVAPlacement.firstFit(length: 4096, in: Self.x86Ranges, avoiding: used, pageSizes: Self.pageSizes)
            == 4096)
        #expect(IOVAPlacement.firstFit(length: 2 << 20, in: Self.x86Ranges, avoiding: used, pageSizes: Self.pageSizes)
            == 2 << 20)
    }

    @Test func placementJumpsTheMSIWindow() {
        let used = [IOVARange(start: 0, last: 0xfedf_ffff)].compactMap { $0 }
        #expect(IOVAPlacement.firstFit(length: 1 << 20, in: Self.x86Ranges, avoiding: used, pageSizes: Self.pageSizes)
            == 0xfef0_0000)
        #expect(IOVAPlacement.firstFit(length: 1 << 30, in: Self.x86Ranges, avoiding: used, pageSizes: Self.pageSizes)
            == 0x1_0000_0000)
    }

    @Test func placementFailsWhenNothingFits() {
        let small = [IOVARange(start: 0, last: 0xffff)].compactMap { $0 }
        #expect(IOVAPlacement.firstFit(length: 1 << 20, in: small, avoiding: [], pageSizes: Self.pageSizes) == nil)
        #expect(IOVAPlacement.firstFit(length: 0, in: small, avoiding: [], pageSizes: Self.pageSizes) == nil)
        let top = [IOVARange(start: .max - 0xfff, last: .max)].compactMap { $0 }
        #expect(IOVAPlacement.firstFit(length: 4096, in: top, avoiding: top, pageSizes: 4096) == nil)
    }

    @Test func operationsClassify() {
        #expect(VFIOOperation.iommuMapDMA.isMap && VFIOOperation.ioasMap.isMap)
        #expect(!VFIOOperation.ioasUnmap.isMap)
        #expect(VFIOOperation.groupSetContainer.claimsDMAOwnership)
        #expect(VFIOOperation.deviceBindIOMMUFD.claimsDMAOwnership)
        #expect(!VFIOOperation.setIOMMU.claimsDMAOwnership)
    }
}
