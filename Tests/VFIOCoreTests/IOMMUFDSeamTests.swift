import Glibc
import CVFIO
import LinuxSystem
import Testing
@testable import VFIOCore

@Suite("iommufd replies")
struct IOMMUFDSeamTests {
    /// The kernel answers EMSGSIZE with the total count; the second call has room.
    @Test func iovaRangesGrowOnEMSGSIZE() throws {
        var calls: [UInt32] = []
        let total = 10
        let result = IOMMUFD.fetchRanges(ioas: 3) { request in
            calls.append(request.num_iovas)
            #expect(request.ioas_id == 3)
            #expect(request.size == 32)
            let capacity = Int(request.num_iovas)
            request.num_iovas = UInt32(total)
            request.out_iova_alignment = 4096
            guard capacity >= total else { return .failure(Errno(rawValue: EMSGSIZE)) }
            guard let base = UnsafeMutablePointer<iommu_iova_range>(bitPattern: UInt(request.allowed_iovas)) else {
                return .failure(Errno(rawValue: EFAULT))
            }
            for index in 0..<total {
                base[index].start = UInt64(index) << 32
                base[index].last = (UInt64(index) << 32) + 0xffff
            }
            return .success(0)
        }
        let ranges = try result.get()
        #expect(calls == [8, 10])
        #expect(ranges.ranges.count == 10)
        #expect(ranges.ranges.last == IOVARange(start: 9 << 32, last: (9 << 32) + 0xffff))
        #expect(ranges.alignment == 4096)
    }

    @Test func iovaRangesOtherErrorsPassThrough() {
        let result = IOMMUFD.fetchRanges(ioas: 1) { _ in .failure(Errno(rawValue: ENOENT)) }
        #expect(result.map(\.ranges) == .failure(Errno(rawValue: ENOENT)))
    }

    @Test func iovaRangesEMSGSIZEWithoutGrowthStops() {
        var calls = 0
        let result = IOMMUFD.fetchRanges(ioas: 1) { _ in
            calls += 1
            return .failure(Errno(rawValue: EMSGSIZE))
        }
        #expect(result.map(\.ranges) == .failure(Errno(rawValue: EMSGSIZE)))
        #expect(calls == 1)
    }

    static let qemuCap: UInt64 = 2 | (1 << 7) | (0b0110 << 8) | (47 << 16) | (1 << 22) | (0b11 << 34) | (1 << 39)
        | (7 << 40) | (18 << 48) | (1 << 56)
    static let qemuEcap: UInt64 = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 6) | (1 << 7) | (1 << 26)
        | (19 << 35) | (1 << 40) | (1 << 43) | (1 << 46) | (1 << 47)

    @Test func hardwareInfoForVTd() throws {
        var calls = 0
        let result = IOMMUFD.fetchHardwareInfo(device: 5) { request in
            calls += 1
            #expect(request.dev_id == 5)
            #expect(request.size == 40)
            guard let data = UnsafeMutableRawPointer(bitPattern: UInt(request.data_uptr)) else {
                return .failure(Errno(rawValue: EFAULT))
            }
            #expect(request.data_len >= 24)
            data.storeBytes(of: UInt32(1), toByteOffset: 0, as: UInt32.self)
            data.storeBytes(of: Self.qemuCap, toByteOffset: 8, as: UInt64.self)
            data.storeBytes(of: Self.qemuEcap, toByteOffset: 16, as: UInt64.self)
            request.data_len = 24
            request.out_data_type = CVFIO_IOMMU_HW_INFO_TYPE_INTEL_VTD
            request.out_capabilities = CVFIO_IOMMU_HW_CAP_DIRTY_TRACKING
            request.out_max_pasid_log2 = 20
            return .success(0)
        }
        let info = try result.get()
        #expect(calls == 1)
        #expect(info.typeName == "intel-vtd")
        #expect(info.data.count == 24)
        #expect(info.capabilities == .dirtyTracking)
        #expect(info.maxPASIDLog2 == 20)
        let vtd = try #require(info.vtd)
        #expect(vtd.errata772415)
        #expect(vtd.domainCount == 256)
        #expect(vtd.cachingMode)
        #expect(vtd.supportedAddressWidths == [39, 48])
        #expect(vtd.maxGuestAddressWidth == 48)
        #expect(vtd.zeroLengthRead)
        #expect(vtd.secondStageLargePages == [1 << 21, 1 << 30])
        #expect(vtd.pageSelectiveInvalidation)
        #expect(vtd.faultRecordCount == 8)
        #expect(vtd.maxAddressMaskValue == 18)
        #expect(vtd.firstStage1GiBPages)
        #expect(!vtd.postedInterrupts)
        #expect(!vtd.coherentPageWalk)
        #expect(vtd.queuedInvalidation && vtd.deviceTLB && vtd.interruptRemapping && vtd.extendedInterruptMode)
        #expect(vtd.passThrough && vtd.snoopControl && vtd.nested)
        #expect(vtd.pasid && vtd.pasidWidth == 20)
        #expect(vtd.scalableMode && vtd.secondStageTranslation && vtd.firstStageTranslation)
        #expect(!vtd.secondStageAccessedDirty)
        #expect(vtd.features.contains("nested") && vtd.features.contains("pass-through"))
        #expect(!vtd.features.contains("posted-interrupts"))
        #expect(info.smmuv3 == nil)
    }

    @Test func hardwareInfoGrowsWhenTheKernelHasMore() throws {
        var capacities: [UInt32] = []
        let info = try IOMMUFD.fetchHardwareInfo(device: 1) { request in
            capacities.append(request.data_len)
            request.data_len = 100
            request.out_data_type = 9
            return .success(0)
        }.get()
        #expect(capacities == [64, 100])
        #expect(info.typeName == "type 9")
        #expect(info.data.count == 100)
        #expect(info.vtd == nil)
    }

    @Test func hardwareInfoForSMMUv3IsRaw() throws {
        let info = try IOMMUFD.fetchHardwareInfo(device: 1) { request in
            guard let data = UnsafeMutableRawPointer(bitPattern: UInt(request.data_uptr)) else {
                return .failure(Errno(rawValue: EFAULT))
            }
            for index in 0..<6 { data.storeBytes(of: UInt32(0x100 + index), toByteOffset: 8 + 4 * index, as: UInt32.self) }
            data.storeBytes(of: UInt32(0x43b), toByteOffset: 32, as: UInt32.self)
            data.storeBytes(of: UInt32(2), toByteOffset: 36, as: UInt32.self)
            request.data_len = 40
            request.out_data_type = CVFIO_IOMMU_HW_INFO_TYPE_ARM_SMMUV3
            return .success(0)
        }.get()
        let smmu = try #require(info.smmuv3)
        #expect(smmu.idr == [0x100, 0x101, 0x102, 0x103, 0x104, 0x105])
        #expect(smmu.iidr == 0x43b)
        #expect(smmu.aidr == 2)
        #expect(info.vtd == nil)
    }

    @Test func shortVTdDataIsNotDecoded() {
        let info = HardwareInfo(dataType: CVFIO_IOMMU_HW_INFO_TYPE_INTEL_VTD, data: [1, 0, 0, 0], capabilities: [],
                                maxPASIDLog2: 0)
        #expect(info.vtd == nil)
    }
}
