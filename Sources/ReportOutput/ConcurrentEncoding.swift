import VFIOSysfs

/// A report element that may be encoded on a worker thread: an array of them
/// directly in a report is encoded in runs on all cores (`list`'s groups).
package protocol ConcurrentlyEncodable: Encodable, Sendable {}

/// An array that can be encoded and written in runs on several cores.
protocol RunEncodable {
    /// The elements of an array standing at `depth`, written in runs: each
    /// run encoded and written by one worker, which also frees its tree; nil
    /// when too short to pay.
    func writtenRuns(depth: Int) throws -> [[UInt8]]?
}

extension Array: RunEncodable where Element: ConcurrentlyEncodable {
    func writtenRuns(depth: Int) throws -> [[UInt8]]? {
        guard count >= 256 else { return nil }
        let runs = OnlineCores.count * 16
        let bounds: [Range<Int>] = (0..<runs).map { run in count * run / runs..<count * (run + 1) / runs }
        let elements = self
        let pieces = parallelMap(bounds) { (range: Range<Int>) -> Result<[UInt8], EncodingFailure> in
            let tree = JSONTree(capacity: range.count * 256)
            do {
                try Array(elements[range]).encode(to: TreeEncoder(tree: tree, slot: tree.root, parent: nil, key: nil))
                var writer = JSONTreeWriter(tree)
                try writer.writeElements(of: tree.root, depth: depth + 1)
                return .success(writer.bytes)
            } catch {
                return .failure(EncodingFailure(error: error))
            }
        }
        return try pieces.map { try $0.get() }
    }
}

/// An error thrown on a worker thread, carried back to the caller.
struct EncodingFailure: Error, @unchecked Sendable {
    let error: any Error
}
