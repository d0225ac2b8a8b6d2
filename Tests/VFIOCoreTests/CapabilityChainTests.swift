import CVFIO
import Testing
@testable import VFIOCore

/// A type1 `VFIO_IOMMU_GET_INFO` reply as the kernel builds it: info struct,
/// then MIGRATION, DMA_AVAIL (12 bytes, padded to 16) and IOVA_RANGE.
func type1Reply() -> Reply {
    var reply = Reply(size: 120)
    reply.u32(0, 120)
    reply.u32(4, CVFIO_IOMMU_INFO_PGSIZES | CVFIO_IOMMU_INFO_CAPS)
    reply.u64(8, 0x4020_1000)
    reply.u32(16, 24)
    reply.header(24, id: CVFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, next: 56)
    reply.u32(32, 0)
    reply.u64(40, 0x1000)
    reply.u64(48, 0x1000_0000)
    reply.header(56, id: CVFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, next: 72)
    reply.u32(64, 65535)
    reply.header(72, id: CVFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, next: 0)
    reply.u32(80, 2)
    reply.u64(88, 0)
    reply.u64(96, 0xfedf_ffff)
    reply.u64(104, 0xfef0_0000)
    reply.u64(112, 0x7f_ffff_ffff)
    return reply
}

@Suite("Capability chains")
struct CapabilityChainTests {
    @Test func walksAWellFormedChain() {
        let chain = CapabilityChain(buffer: type1Reply().bytes, firstOffset: 24, infoSize: 24)
        #expect(chain.problem == nil)
        #expect(chain.capabilities.map(\.id) == [2, 3, 1])
        #expect(chain.capabilities.map(\.offset) == [24, 56, 72])
        #expect(chain.capabilities.map(\.bytes.count) == [32, 16, 48])
    }

    @Test func zeroOffsetMeansNoChain() {
        let chain = CapabilityChain(buffer: type1Reply().bytes, firstOffset: 0, infoSize: 24)
        #expect(chain.capabilities.isEmpty)
        #expect(chain.problem == nil)
    }

    @Test func truncatedHeaderStopsTheWalk() {
        let bytes = Array(type1Reply().bytes.prefix(76))
        let chain = CapabilityChain(buffer: bytes, firstOffset: 24, infoSize: 24)
        #expect(chain.capabilities.map(\.id) == [2, 3])
        #expect(chain.problem?.contains("runs past the end") == true)
    }

    @Test func nextOutOfBoundsDoesNotCrash() {
        var reply = type1Reply()
        reply.u32(56 + 4, 4000)
        let chain = CapabilityChain(buffer: reply.bytes, firstOffset: 24, infoSize: 24)
        #expect(chain.capabilities.map(\.id) == [2, 3])
        #expect(chain.capabilities.last?.bytes.count == 120 - 56)
        #expect(chain.problem?.contains("offset 4000") == true)
    }

    @Test func nextNearUInt32MaxDoesNotCrash() {
        var reply = type1Reply()
        reply.u32(24 + 4, UInt32.max)
        let chain = CapabilityChain(buffer: reply.bytes, firstOffset: 24, infoSize: 24)
        #expect(chain.capabilities.map(\.id) == [2])
        #expect(chain.problem != nil)
    }

    @Test func loopIsDetected() {
        var reply = type1Reply()
        reply.u32(72 + 4, 24)
        let chain = CapabilityChain(buffer: reply.bytes, firstOffset: 24, infoSize: 24)
        #expect(chain.capabilities.map(\.id) == [2, 3, 1])
        #expect(chain.problem?.contains("points back") == true)
    }

    @Test func selfLoopIsDetected() {
        var reply = type1Reply()
        reply.u32(24 + 4, 24)
        let chain = CapabilityChain(buffer: reply.bytes, firstOffset: 24, infoSize: 24)
        #expect(chain.capabilities.count == 1)
        #expect(chain.problem != nil)
    }

    @Test func offsetInsideTheInfoStructIsRefused() {
        let chain = CapabilityChain(buffer: type1Reply().bytes, firstOffset: 8, infoSize: 24)
        #expect(chain.capabilities.isEmpty)
        #expect(chain.problem?.contains("inside") == true)
    }

    @Test func emptyBuffer() {
        let chain = CapabilityChain(buffer: [], firstOffset: 24, infoSize: 24)
        #expect(chain.capabilities.isEmpty)
        #expect(chain.problem != nil)
    }

    @Test func fieldReadsAreBoundsChecked() throws {
        let chain = CapabilityChain(buffer: type1Reply().bytes, firstOffset: 24, infoSize: 24)
        let avail = try #require(chain.first(3))
        #expect(avail.field(UInt32.self, at: 8) == 65535)
        #expect(avail.field(UInt64.self, at: 12) == nil)
        #expect(avail.field(UInt32.self, at: -1) == nil)
    }

    /// Random replies, random cap offsets: every decoder must return, never trap.
    @Test func randomRepliesNeverCrash() {
        var generator = SplitMix64(seed: 0x5eed)
        for _ in 0..<2000 {
            let size = Int(generator.next() % 160)
            var bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if size >= 24, generator.next() % 2 == 0 {
                bytes.store(UInt32(24 + generator.next() % 64), at: 16)  // plausible cap_offset
                bytes.store(UInt32(0xF), at: 4)
            }
            _ = IOMMUInfo(decoding: bytes)
            _ = RegionInfo(decoding: bytes)
            _ = DeviceInfo(decoding: bytes)
            _ = CapabilityChain(buffer: bytes, firstOffset: UInt32(truncatingIfNeeded: generator.next() % 200),
                                infoSize: 24)
        }
    }
}

/// A small deterministic generator for the fuzz loop.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
