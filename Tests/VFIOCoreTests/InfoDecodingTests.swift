import Glibc
import CVFIO
import LinuxSystem
import Testing
@testable import VFIOCore

@Suite("INFO replies")
struct InfoDecodingTests {
    @Test func type1InfoDecodesEveryCapability() throws {
        let info = IOMMUInfo(decoding: type1Reply().bytes)
        #expect(info.problems.isEmpty)
        #expect(info.pageSizes == 0x4020_1000)
        #expect(info.minimumPageSize == 0x1000)
        let ranges = try #require(info.iovaRanges)
        #expect(ranges == [IOVARange(start: 0, last: 0xfedf_ffff), IOVARange(start: 0xfef0_0000, last: 0x7f_ffff_ffff)].compactMap { $0 })
        #expect(info.dmaAvailable == 65535)
        #expect(info.migration == IOMMUInfo.Migration(flags: 0, pageSizes: 0x1000, maxDirtyBitmapSize: 0x1000_0000))
        #expect(info.capabilities.map(\.id) == [2, 3, 1])
    }

    @Test func type1InfoWithoutCapsFlagIgnoresCapOffset() {
        var reply = type1Reply()
        reply.u32(4, CVFIO_IOMMU_INFO_PGSIZES)
        let info = IOMMUInfo(decoding: reply.bytes)
        #expect(info.capabilities.isEmpty)
        #expect(info.iovaRanges == nil)
        #expect(info.dmaAvailable == nil)
    }

    @Test func truncatedRangeListKeepsWhatFits() {
        let info = IOMMUInfo(decoding: Array(type1Reply().bytes.prefix(104)))
        #expect(info.iovaRanges == [IOVARange(start: 0, last: 0xfedf_ffff)].compactMap { $0 })
        #expect(info.problems.contains { $0.contains("claims 2 ranges but holds 1") })
    }

    @Test func rangeCountFarBeyondTheBufferDoesNotCrash() {
        var reply = type1Reply()
        reply.u32(80, UInt32.max)
        let info = IOMMUInfo(decoding: reply.bytes)
        #expect(info.iovaRanges?.count == 2)
        #expect(!info.problems.isEmpty)
    }

    /// The kernel's two-call protocol: a short argsz gets CAPS set, cap_offset 0
    /// and argsz raised; the second call with that size gets the chain.
    @Test func twoCallResize() throws {
        let full = type1Reply().bytes
        var calls = 0
        let result = ArgszQuery.fetch(
            initialSize: MemoryLayout<vfio_iommu_type1_info>.size,
            prepare: { _ in },
            call: { buffer in
                calls += 1
                let argsz = Int(buffer.load(fromByteOffset: 0, as: UInt32.self))
                #expect(argsz == buffer.count)
                if argsz < full.count {
                    for index in 0..<min(argsz, 24) { buffer[index] = full[index] }
                    buffer.storeBytes(of: UInt32(full.count), toByteOffset: 0, as: UInt32.self)
                    buffer.storeBytes(of: UInt32(0), toByteOffset: 16, as: UInt32.self)
                } else {
                    for index in 0..<full.count { buffer[index] = full[index] }
                }
                return .success(0)
            })
        let bytes = try result.get()
        #expect(calls == 2)
        #expect(bytes.count == full.count)
        #expect(IOMMUInfo(decoding: bytes).iovaRanges?.count == 2)
    }

    @Test func oneCallWhenTheFirstBufferIsLargeEnough() throws {
        var calls = 0
        let bytes = try ArgszQuery.fetch(initialSize: 256, prepare: { _ in }, call: { _ in
            calls += 1
            return .success(0)
        }).get()
        #expect(calls == 1)
        #expect(bytes.load(UInt32.self, at: 0) == 256)
    }

    @Test func prepareRunsBeforeEveryCall() throws {
        var seen: [UInt32] = []
        _ = try ArgszQuery.fetch(
            initialSize: 32,
            prepare: { $0.store(UInt32(7), at: 8) },
            call: { buffer in
                seen.append(buffer.load(fromByteOffset: 8, as: UInt32.self))
                if buffer.count < 64 { buffer.storeBytes(of: UInt32(64), toByteOffset: 0, as: UInt32.self) }
                return .success(0)
            }).get()
        #expect(seen == [7, 7])
    }

    @Test func everGrowingArgszGivesUp() {
        var calls = 0
        let result = ArgszQuery.fetch(initialSize: 24, prepare: { _ in }, call: { buffer in
            calls += 1
            buffer.storeBytes(of: UInt32(buffer.count + 8), toByteOffset: 0, as: UInt32.self)
            return .success(0)
        })
        #expect(result == .failure(Errno(rawValue: EMSGSIZE)))
        #expect(calls == 4)
    }

    @Test func absurdArgszIsRefused() {
        let result = ArgszQuery.fetch(initialSize: 24, prepare: { _ in }, call: { buffer in
            buffer.storeBytes(of: UInt32.max, toByteOffset: 0, as: UInt32.self)
            return .success(0)
        })
        #expect(result == .failure(Errno(rawValue: E2BIG)))
    }

    @Test func callErrorsPassThrough() {
        let result = ArgszQuery.fetch(initialSize: 24, prepare: { _ in }, call: { _ in .failure(Errno(rawValue: EINVAL)) })
        #expect(result == .failure(Errno(rawValue: EINVAL)))
    }

    /// A BAR with a sparse mmap (MSI-X table carved out), a TYPE and an MSIX_MAPPABLE capability.
    static func regionReply() -> Reply {
        var reply = Reply(size: 104)
        reply.u32(0, 104)
        reply.u32(4, CVFIO_REGION_INFO_FLAG_READ | CVFIO_REGION_INFO_FLAG_WRITE | CVFIO_REGION_INFO_FLAG_MMAP
            | CVFIO_REGION_INFO_FLAG_CAPS)
        reply.u32(8, 2)
        reply.u32(12, 32)
        reply.u64(16, 0x4000)
        reply.u64(24, 2 << 40)
        reply.header(32, id: CVFIO_REGION_INFO_CAP_SPARSE_MMAP, next: 80)
        reply.u32(40, 2)
        reply.u64(48, 0)
        reply.u64(56, 0x1000)
        reply.u64(64, 0x3000)
        reply.u64(72, 0x1000)
        reply.header(80, id: CVFIO_REGION_INFO_CAP_TYPE, next: 96)
        reply.u32(88, 1)
        reply.u32(92, 3)
        reply.header(96, id: CVFIO_REGION_INFO_CAP_MSIX_MAPPABLE, next: 0)
        return reply
    }

    @Test func regionInfoWithSparseMmap() throws {
        let region = RegionInfo(decoding: Self.regionReply().bytes)
        #expect(region.problems.isEmpty)
        #expect(region.index == .bar(2))
        #expect(region.flags == [.read, .write, .mmap, .caps])
        #expect(region.size == 0x4000)
        #expect(region.offset == 2 << 40)
        #expect(region.sparseAreas == [SparseMmapArea(offset: 0, size: 0x1000), SparseMmapArea(offset: 0x3000, size: 0x1000)])
        #expect(region.type == RegionType(type: 1, subtype: 3))
        #expect(region.msixMappable)
    }

    @Test func regionInfoWithTruncatedSparseAreas() {
        var reply = Self.regionReply()
        reply.u32(40, 9)  // claims nine areas; the capability holds two
        let region = RegionInfo(decoding: reply.bytes)
        #expect(region.sparseAreas?.count == 2)
        #expect(region.problems.contains { $0.contains("claims 9 areas") })
        #expect(region.type != nil)
    }

    @Test func plainRegionInfo() {
        var reply = Reply(size: 32)
        reply.u32(0, 32)
        reply.u32(4, CVFIO_REGION_INFO_FLAG_READ | CVFIO_REGION_INFO_FLAG_WRITE)
        reply.u32(8, CVFIO_PCI_CONFIG_REGION_INDEX)
        reply.u64(16, 4096)
        reply.u64(24, 7 << 40)
        let region = RegionInfo(decoding: reply.bytes)
        #expect(region.index == .config)
        #expect(region.index.description == "config")
        #expect(region.sparseAreas == nil)
        #expect(region.type == nil)
        #expect(!region.msixMappable)
        #expect(region.capabilities.isEmpty)
    }

    @Test func deviceInfoWithAtomicCompleterCapability() {
        var reply = Reply(size: 40)
        reply.u32(0, 40)
        reply.u32(4, CVFIO_DEVICE_FLAGS_RESET | CVFIO_DEVICE_FLAGS_PCI | CVFIO_DEVICE_FLAGS_CAPS)
        reply.u32(8, 9)
        reply.u32(12, 5)
        reply.u32(16, 24)
        reply.header(24, id: CVFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP, next: 0)
        reply.u32(32, 3)
        let info = DeviceInfo(decoding: reply.bytes)
        #expect(info.flags == [.reset, .pci, .caps])
        #expect(info.regionCount == 9)
        #expect(info.irqCount == 5)
        #expect(info.pciAtomicCompleter == 3)
        #expect(info.problems.isEmpty)
    }

    @Test(arguments: [(0, "BAR0"), (5, "BAR5"), (6, "ROM"), (7, "config"), (8, "VGA"), (9, "region 9")] as [(UInt32, String)])
    func regionIndexNames(_ raw: UInt32, _ name: String) {
        #expect(RegionIndex(rawValue: raw).description == name)
    }
}
