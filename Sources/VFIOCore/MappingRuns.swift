/// The mappings a `DMASession` made, sorted by IOVA (ties in the order made),
/// stored as runs: a mapping that starts where the previous one ended, in IOVA
/// and in process memory, with the same length, extends that run instead of
/// adding an element. Mapping 1 GiB in 4 KiB steps keeps one run, so the
/// bookkeeping costs a few comparisons per call, not memory per mapping.
struct MappingRuns {
    /// `count` mappings of `length` bytes: the k-th at `iova + k * length`, from `address + k * length`.
    struct Run {
        var iova: UInt64
        var address: UInt64
        let length: UInt64
        var count: Int

        init(_ mapping: DMAMapping) {
            iova = mapping.iova
            address = mapping.address
            length = mapping.length
            count = 1
        }

        func element(_ index: Int) -> DMAMapping {
            DMAMapping(iova: iova + UInt64(index) * length, length: length, address: address + UInt64(index) * length)
        }

        var last: DMAMapping { element(count - 1) }

        /// Whether `mapping` is the next one of this run (and its range fits in 64 bits).
        func continues(with mapping: DMAMapping) -> Bool {
            let end = UInt64(count) * length
            return mapping.length == length && mapping.range != nil
                && iova.addingReportingOverflow(end) == (mapping.iova, false)
                && address.addingReportingOverflow(end) == (mapping.address, false)
        }

        /// The elements from `index` on, as a run of their own.
        func suffix(from index: Int) -> Run {
            var rest = self
            rest.iova += UInt64(index) * length
            rest.address += UInt64(index) * length
            rest.count -= index
            return rest
        }

        /// How many elements start at or below `iova` (they are in IOVA order).
        func countStarting(atOrBelow iova: UInt64) -> Int {
            guard iova >= self.iova else { return 0 }
            guard length > 0 else { return count }
            return Int(min(UInt64(count), (iova - self.iova) / length + 1))
        }

        /// The indexes of the elements wholly inside `range`: contiguous, as the
        /// elements are in IOVA order. A zero-length mapping is never inside.
        func indexes(inside range: IOVARange) -> Range<Int> {
            guard length > 0, range.last >= length - 1 else { return 0..<0 }
            let first = range.start <= iova ? 0 : countStarting(atOrBelow: range.start - 1)
            let end = countStarting(atOrBelow: range.last - (length - 1))
            return first..<max(first, end)
        }
    }

    private(set) var runs: [Run] = []

    var isEmpty: Bool { runs.isEmpty }

    var count: Int { runs.reduce(0) { $0 + $1.count } }

    /// Every mapping, in order.
    var all: [DMAMapping] { runs.flatMap { run in (0..<run.count).map(run.element) } }

    /// The IOVA each run covers (one range per run: the union of its mappings).
    var ranges: [IOVARange] {
        runs.compactMap { run in
            let (bytes, overflow) = run.length.multipliedReportingOverflow(by: UInt64(run.count))
            return overflow ? nil : IOVARange(start: run.iova, length: bytes)
        }
    }

    /// Adds `mapping` after every mapping whose IOVA is not above its own.
    mutating func insert(_ mapping: DMAMapping) {
        if let last = runs.last, last.continues(with: mapping) {  // the next step of a buffer
            runs[runs.count - 1].count += 1
            return
        }
        // After the run holding the last mapping at or below this IOVA.
        let low = runs.last.map { $0.iova <= mapping.iova } ?? false ? runs.count : firstRun { $0.iova > mapping.iova }
        guard low > 0 else { return runs.insert(Run(mapping), at: 0) }
        let before = runs[low - 1]
        let kept = before.countStarting(atOrBelow: mapping.iova)
        if kept == before.count {
            if before.continues(with: mapping) {
                runs[low - 1].count += 1
            } else {
                runs.insert(Run(mapping), at: low)
            }
        } else {
            runs[low - 1].count = kept
            runs.insert(contentsOf: [Run(mapping), before.suffix(from: kept)], at: low)
        }
    }

    /// Drops every mapping that lies wholly inside `removed` (a mapping whose
    /// range does not fit in 64 bits is never inside).
    mutating func remove(within removed: IOVARange) {
        if let first = runs.first, first.iova == removed.start, first.iova &+ (first.length &- 1) == removed.last,
           first.length > 0, first.count > 1 || runs.count == 1 || runs[1].iova > removed.last
        {  // exactly the first mapping, as when a buffer is unmapped step by step
            runs[0] = first.suffix(from: 1)
            if first.count == 1 { runs.removeFirst() }
            return
        }
        // Runs before the one holding the last mapping below `removed` cannot reach it.
        var index = max(0, firstRun { $0.iova >= removed.start } - 1)
        while index < runs.count, runs[index].iova <= removed.last {
            let run = runs[index]
            let gone = run.indexes(inside: removed)
            guard !gone.isEmpty else {
                index += 1
                continue
            }
            switch (gone.lowerBound > 0, gone.upperBound < run.count) {
            case (false, false):
                runs.remove(at: index)
            case (false, true):
                runs[index] = run.suffix(from: gone.upperBound)
                index += 1
            case (true, false):
                runs[index].count = gone.lowerBound
                index += 1
            case (true, true):
                runs[index].count = gone.lowerBound
                runs.insert(run.suffix(from: gone.upperBound), at: index + 1)
                index += 2
            }
        }
    }

    mutating func removeAll() { runs.removeAll() }

    /// The first mapping, in order, whose range holds `iova`.
    func mapping(holding iova: UInt64) -> DMAMapping? {
        for run in runs where run.iova <= iova && run.length > 0 {
            let element = run.element(run.countStarting(atOrBelow: iova) - 1)
            if let range = element.range, iova <= range.last { return element }
        }
        return nil
    }

    /// The first run index whose run satisfies `isPast` (which holds from some run on).
    private func firstRun(where isPast: (Run) -> Bool) -> Int {
        var low = 0
        var high = runs.count
        while low < high {
            let middle = (low + high) / 2
            if isPast(runs[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
