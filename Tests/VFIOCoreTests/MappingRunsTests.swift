import Testing
@testable import VFIOCore

/// DMASession's bookkeeping: `MappingRuns` must hold exactly what a plain list
/// kept sorted by IOVA (ties in the order made) holds, whatever the order of
/// maps and unmaps, while mapping a buffer in steps keeps a single run.
@Suite struct MappingRunsTests {
    /// The list DMASession kept before runs: append and sort, remove what lies inside.
    struct Reference {
        var mappings: [DMAMapping] = []

        mutating func insert(_ mapping: DMAMapping) {
            let at = mappings.firstIndex { $0.iova > mapping.iova } ?? mappings.count
            mappings.insert(mapping, at: at)
        }

        mutating func remove(within removed: IOVARange) {
            mappings.removeAll { $0.range.map(removed.contains) ?? false }
        }

        func mapping(holding iova: UInt64) -> DMAMapping? {
            mappings.first { $0.range.map { $0.start <= iova && iova <= $0.last } ?? false }
        }
    }

    static let base: UInt64 = 0x7f00_0000_0000

    @Test func mappingABufferInStepsKeepsOneRunAndUnmappingFromEitherEndShrinksIt() throws {
        var runs = MappingRuns()
        for step in 0..<262_144 as Range<UInt64> {
            runs.insert(DMAMapping(iova: (1 << 30) + step * 4096, length: 4096, address: Self.base + step * 4096))
        }
        #expect(runs.runs.count == 1)
        #expect(runs.count == 262_144)
        #expect(runs.ranges == [try #require(IOVARange(start: 1 << 30, length: 1 << 30))])
        runs.remove(within: try #require(IOVARange(start: 1 << 30, length: 4096)))
        runs.remove(within: try #require(IOVARange(start: (2 << 30) - 4096, length: 4096)))
        #expect(runs.runs.count == 1)
        #expect(runs.all.first == DMAMapping(iova: (1 << 30) + 4096, length: 4096, address: Self.base + 4096))
        #expect(runs.count == 262_142)
        runs.remove(within: try #require(IOVARange(start: 1 << 30, length: 1 << 30)))
        #expect(runs.isEmpty)
    }

    @Test func aHoleSplitsARunAndAMappingInTheMiddleGoesInOrder() throws {
        var runs = MappingRuns()
        var reference = Reference()
        func both(_ mapping: DMAMapping) {
            runs.insert(mapping)
            reference.insert(mapping)
        }
        for step in 0..<8 as Range<UInt64> { both(DMAMapping(iova: step * 4096, length: 4096, address: step * 4096)) }
        runs.remove(within: try #require(IOVARange(start: 3 * 4096, length: 4096)))
        reference.remove(within: try #require(IOVARange(start: 3 * 4096, length: 4096)))
        #expect(runs.runs.count == 2)
        both(DMAMapping(iova: 3 * 4096, length: 4096, address: 0xdead_0000))  // same IOVA, other memory
        both(DMAMapping(iova: 2 * 4096, length: 4096, address: 0xbeef_0000))  // a tie: after the first 0x2000
        #expect(runs.all == reference.mappings)
        #expect(runs.mapping(holding: 3 * 4096 + 17) == reference.mapping(holding: 3 * 4096 + 17))
        #expect(runs.mapping(holding: 2 * 4096) == DMAMapping(iova: 2 * 4096, length: 4096, address: 2 * 4096))
        #expect(runs.mapping(holding: 8 * 4096) == nil)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func anyOrderOfMapsAndUnmapsMatchesTheSortedList(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)  // seeded, so a failure can be replayed
        var runs = MappingRuns()
        var reference = Reference()
        let page: UInt64 = 4096
        for _ in 0..<3000 {
            let slot = UInt64.random(in: 0..<96, using: &random)
            let pages = ([1, 1, 1, 2, 4] as [UInt64]).randomElement(using: &random)!
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<6:  // map: mostly memory that continues the IOVA, sometimes not
                let address = Bool.random(using: &random) ? slot * page : 0x5000_0000 + slot * page * 3
                let mapping = DMAMapping(iova: slot * page, length: pages * page, address: address)
                runs.insert(mapping)
                reference.insert(mapping)
            case 6..<9:
                let removed = try #require(IOVARange(start: slot * page, length: pages * page * 2))
                runs.remove(within: removed)
                reference.remove(within: removed)
            default:
                let iova = slot * page + UInt64.random(in: 0..<page, using: &random)
                #expect(runs.mapping(holding: iova) == reference.mapping(holding: iova))
            }
            #expect(runs.all == reference.mappings)
            #expect(runs.runs.allSatisfy { $0.count > 0 })
        }
        for length in [page, 2 * page, 64 * page] {
            #expect(IOVAPlacement.firstFit(length: length, in: [try #require(IOVARange(start: 0, length: 1 << 20))],
                                           avoiding: runs.ranges, pageSizes: page)
                    == IOVAPlacement.firstFit(length: length, in: [try #require(IOVARange(start: 0, length: 1 << 20))],
                                              avoiding: reference.mappings.compactMap(\.range), pageSizes: page))
        }
    }

    @Test func mappingsAtTheTopOfTheAddressSpaceAndOfLengthZero() throws {
        var runs = MappingRuns()
        var reference = Reference()
        let top = DMAMapping(iova: UInt64.max - 4095, length: 4096, address: 0)
        let wraps = DMAMapping(iova: UInt64.max - 4095, length: 8192, address: 4096)
        let empty = DMAMapping(iova: 4096, length: 0, address: 0)
        for mapping in [top, wraps, empty, top] {
            runs.insert(mapping)
            reference.insert(mapping)
        }
        #expect(runs.all == reference.mappings)
        let everything = try #require(IOVARange(start: 0, last: .max))
        runs.remove(within: everything)
        reference.remove(within: everything)
        #expect(runs.all == reference.mappings)
        #expect(runs.all == [empty, wraps])
    }
}
