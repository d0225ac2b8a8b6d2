/// The order to write an object's members in: by key bytes, and of a repeated
/// key only the last. Remembered per key sequence, recognised by the keys'
/// string bits (a synthesized `CodingKeys` hands out the same literal each time).
struct SortedOrders {
    private struct Shape: Hashable {
        let keys: [KeyBits]
    }

    private struct KeyBits: Hashable {
        let low: UInt64
        let high: UInt64

        init(_ key: String) { (low, high) = unsafeBitCast(key, to: (UInt64, UInt64).self) }
    }

    private var known: [Shape: [Int]] = [:]

    /// Offsets into `members`, in writing order.
    mutating func order(of members: ArraySlice<Int>, in nodes: [JSONTree.Node]) -> [Int] {
        let shape = Shape(keys: members.map { KeyBits(nodes[$0].key) })
        if let order = known[shape] { return order }
        let keys = members.map { nodes[$0].key }
        let sorted = keys.indices.sorted { left, right in
            switch Self.compare(keys[left], keys[right]) {
            case .less: true
            case .greater: false
            case .equal: left < right
            }
        }
        let order = sorted.indices.filter { position in
            position + 1 == sorted.count || keys[sorted[position + 1]] != keys[sorted[position]]
        }.map { sorted[$0] }
        known[shape] = order
        return order
    }

    private enum Order { case less, equal, greater }

    /// Byte-wise comparison of the UTF-8 forms.
    private static func compare(_ left: String, _ right: String) -> Order {
        var leftBytes = left.utf8.makeIterator()
        var rightBytes = right.utf8.makeIterator()
        while true {
            switch (leftBytes.next(), rightBytes.next()) {
            case (nil, nil): return .equal
            case (nil, _): return .less
            case (_, nil): return .greater
            case let (a?, b?) where a != b: return a < b ? .less : .greater
            default: continue
            }
        }
    }
}
