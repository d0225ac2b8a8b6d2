import VFIOSysfs

/// Encodes reports as JSON, byte for byte as Foundation's `JSONEncoder` does with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` and default
/// strategies, in a fraction of its time: values go into one flat node array
/// (no object per container, numbers kept as integers), which is then written
/// once, keys sorted by their UTF-8 bytes, a repeated key keeping its last value.
/// A long array of `ConcurrentlyEncodable` elements directly in the report
/// (`list`'s groups) is encoded and written in runs on all cores.
///
/// Foundation also special-cases `Date`, `Data`, `URL` and `Decimal`; reports
/// hold none of them (the tests compare both encoders on every report).
enum ReportJSONEncoder {
    /// The JSON text of `value` followed by `suffix`; throws where Foundation
    /// throws: a top-level value that encodes nothing, or a NaN or infinite
    /// floating-point number.
    static func encode<T: Encodable>(_ value: T, suffix: String = "") throws -> String {
        try encodePieces(value, suffix: suffix).joined
    }

    /// As `encode`, the text left in the pieces it was written in (megabytes
    /// for `list` on a large host), for writing out without joining them.
    static func encodePieces<T: Encodable>(_ value: T, suffix: String = "") throws -> OutputText {
        let tree = JSONTree()
        try value.encode(to: TreeEncoder(tree: tree, slot: tree.root, parent: nil, key: nil, splitsArrays: true))
        if case .empty = tree.nodes[tree.root].value {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(T.self) encoded nothing"))
        }
        var writer = JSONTreeWriter(tree)
        try writer.write(tree.root, depth: 0)
        writer.segments.append(writer.bytes)
        writer.segments.append(Array(suffix.utf8))
        return OutputText(pieces: writer.segments)
    }
}

/// The encoded values: each node links to its first and last child and its next
/// sibling, so adding a member allocates nothing beyond the node array.
final class JSONTree: @unchecked Sendable {  // filled by one thread, then only read
    enum Value {
        /// Nothing encoded yet; a nested value left so is written `{}`, as Foundation does.
        case empty
        /// An array whose elements are already written: the pieces in order,
        /// each a run of elements indented for where the array stands.
        case runs([[UInt8]])
        case null
        case bool(Bool)
        case signed(Int64)
        case unsigned(UInt64)
        /// A finite floating-point number, already in Foundation's spelling.
        case float(String)
        case string(String)
        case array
        case object
    }

    /// 48 bytes: links are node indexes as `Int32`, -1 for none.
    struct Node {
        /// The member's key (object members only).
        var key: String
        var value: Value
        var first: Int32 = -1
        var last: Int32 = -1
        var next: Int32 = -1
    }

    @exclusivity(unchecked) var nodes: [Node] = [Node(key: "", value: .empty)]
    let root = 0

    init() {}

    /// A tree with room for `capacity` nodes: reserved address space that is
    /// never touched costs no memory, while growing by copying costs both.
    init(capacity: Int) {
        nodes.reserveCapacity(capacity)
    }

    /// Appends a child to `parent` and returns its index.
    func append(to parent: Int, key: String, _ value: Value) -> Int {
        let index = nodes.count
        nodes.append(Node(key: key, value: value))
        let last = Int(nodes[parent].last)
        if last < 0 { nodes[parent].first = Int32(index) } else { nodes[last].next = Int32(index) }
        nodes[parent].last = Int32(index)
        return index
    }

    /// The children of `node`, in the order they were added.
    func children(of node: Int) -> Children { Children(nodes, of: node) }

    struct Children: Sequence, IteratorProtocol {
        private let nodes: [Node]
        private var cursor: Int

        init(_ nodes: [Node], of node: Int) {
            self.nodes = nodes
            cursor = Int(nodes[node].first)
        }

        mutating func next() -> Int? {
            guard cursor >= 0 else { return nil }
            defer { cursor = Int(nodes[cursor].next) }
            return cursor
        }
    }

    /// Makes `node` a container of `kind` unless it already is one (a second
    /// `container(keyedBy:)` on the same encoder continues the first).
    func become(_ node: Int, _ kind: Value) {
        switch (nodes[node].value, kind) {
        case (.object, .object), (.array, .array): return
        default:
            nodes[node].value = kind
            nodes[node].first = -1
            nodes[node].last = -1
        }
    }

    /// The last member of object `node` named `key` when it is a container of `kind`.
    func member(of node: Int, key: String, _ kind: Value) -> Int? {
        guard let found = children(of: node).reversed().first(where: { nodes[$0].key == key }) else { return nil }
        switch (nodes[found].value, kind) {
        case (.object, .object), (.array, .array): return found
        default: return nil
        }
    }
}

/// Writes one value into its node. Nested values are encoded through a child
/// encoder that is reused, since a value is complete when its `encode(to:)` returns.
final class TreeEncoder: Encoder, SingleValueEncodingContainer, ScalarEncoding {
    let tree: JSONTree
    var slot: Int
    /// Weak: the parent holds its reused child, and a strong link back made
    /// every encoder tree (and its JSONTree) a cycle that was never freed.
    private weak var parent: TreeEncoder?
    private var key: (any CodingKey)?
    private var child: TreeEncoder?
    /// Whether a long `ConcurrentlyEncodable` array in this value is encoded in runs (the report itself).
    private let splitsArrays: Bool

    init(tree: JSONTree, slot: Int, parent: TreeEncoder?, key: (any CodingKey)?, splitsArrays: Bool = false) {
        self.tree = tree
        self.slot = slot
        self.parent = parent
        self.key = key
        self.splitsArrays = splitsArrays
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var encoder: TreeEncoder? = self
        while let current = encoder, let key = current.key {
            path.append(key)
            encoder = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        tree.become(slot, .object)
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self, node: slot, path: []))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        tree.become(slot, .array)
        return UnkeyedContainer(encoder: self, node: slot, path: [])
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func put(_ value: JSONTree.Value) throws { tree.nodes[slot].value = value }

    /// A value of another type through the single-value container fills this node, as in Foundation.
    func encode<T: Encodable>(_ value: T) throws { try value.encode(to: self) }

    /// Encodes `value` into `node`, which a container of this encoder just
    /// added; `nesting` counts the container's nested keys below this encoder.
    func encode<T: Encodable>(_ value: T, into node: Int, key: any CodingKey, nesting: Int) throws {
        if splitsArrays, let array = value as? any RunEncodable,
           let runs = try array.writtenRuns(depth: codingPath.count + nesting + 1)
        {
            tree.nodes[node].value = .runs(runs)
            return
        }
        let encoder: TreeEncoder
        if let child {
            encoder = child
            encoder.slot = node
            encoder.key = key
        } else {
            encoder = TreeEncoder(tree: tree, slot: node, parent: self, key: key)
            child = encoder
        }
        try value.encode(to: encoder)
    }

    /// An encoder of its own for `superEncoder()`, which may outlive the next sibling.
    func detached(_ node: Int, key: any CodingKey) -> TreeEncoder {
        TreeEncoder(tree: tree, slot: node, parent: self, key: key)
    }
}

/// A report element that may be encoded on a worker thread: an array of them
/// directly in a report is encoded in runs on all cores (`list`'s groups).
protocol ConcurrentlyEncodable: Encodable, Sendable {}

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

/// The scalar `encode` overloads, shared by the single-value and unkeyed containers.
protocol ScalarEncoding {
    mutating func put(_ value: JSONTree.Value) throws
}

extension ScalarEncoding {
    mutating func encodeNil() throws { try put(.null) }
    mutating func encode(_ value: Bool) throws { try put(.bool(value)) }
    mutating func encode(_ value: String) throws { try put(.string(value)) }
    mutating func encode(_ value: Double) throws { try put(.number(value)) }
    mutating func encode(_ value: Float) throws { try put(.number(value)) }
    mutating func encode(_ value: Int) throws { try put(.signed(Int64(value))) }
    mutating func encode(_ value: Int8) throws { try put(.signed(Int64(value))) }
    mutating func encode(_ value: Int16) throws { try put(.signed(Int64(value))) }
    mutating func encode(_ value: Int32) throws { try put(.signed(Int64(value))) }
    mutating func encode(_ value: Int64) throws { try put(.signed(value)) }
    mutating func encode(_ value: UInt) throws { try put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { try put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { try put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { try put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { try put(.unsigned(value)) }
}

extension JSONTree.Value {
    /// Foundation writes a float as its `description` without a trailing `.0`,
    /// and refuses NaN and infinities.
    static func number<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) throws -> Self {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) is not JSON"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .float(text)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TreeEncoder
    let node: Int
    /// Keys from the encoder's value down to this (nested) container.
    private let path: [any CodingKey]

    init(encoder: TreeEncoder, node: Int, path: [any CodingKey]) {
        self.encoder = encoder
        self.node = node
        self.path = path
    }

    var codingPath: [any CodingKey] { encoder.codingPath + path }

    private func put(_ value: JSONTree.Value, _ key: Key) {
        _ = encoder.tree.append(to: node, key: key.stringValue, value)
    }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(try .number(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(try .number(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.signed(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.signed(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.signed(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.signed(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.signed(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.unsigned(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encoder.encode(value, into: encoder.tree.append(to: node, key: key.stringValue, .empty), key: key,
                           nesting: path.count)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = encoder.tree.member(of: node, key: key.stringValue, .object)
            ?? encoder.tree.append(to: node, key: key.stringValue, .object)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder, node: nested, path: path + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = encoder.tree.member(of: node, key: key.stringValue, .array)
            ?? encoder.tree.append(to: node, key: key.stringValue, .array)
        return UnkeyedContainer(encoder: encoder, node: nested, path: path + [key])
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: Key(stringValue: "super") ?? SuperKey.key(Key.self))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.detached(encoder.tree.append(to: node, key: key.stringValue, .empty), key: key)
    }
}

/// The `super` key for key types that cannot spell it.
private enum SuperKey {
    static func key<Key: CodingKey>(_ type: Key.Type) -> Key {
        guard let key = Key(intValue: 0) else { preconditionFailure("\(Key.self) has no key for super") }
        return key
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer, ScalarEncoding {
    let encoder: TreeEncoder
    let node: Int
    /// Keys from the encoder's value down to this (nested) container.
    private let path: [any CodingKey]
    private(set) var count = 0

    init(encoder: TreeEncoder, node: Int, path: [any CodingKey]) {
        self.encoder = encoder
        self.node = node
        self.path = path
    }

    var codingPath: [any CodingKey] { encoder.codingPath + path }

    mutating func put(_ value: JSONTree.Value) throws {
        _ = encoder.tree.append(to: node, key: "", value)
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = IndexKey(intValue: count)
        count += 1
        try encoder.encode(value, into: encoder.tree.append(to: node, key: "", .empty), key: index,
                           nesting: path.count)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let path = self.path + [IndexKey(intValue: count)]
        count += 1
        let nested = encoder.tree.append(to: node, key: "", .object)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder, node: nested, path: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = self.path + [IndexKey(intValue: count)]
        count += 1
        return UnkeyedContainer(encoder: encoder, node: encoder.tree.append(to: node, key: "", .array), path: path)
    }

    mutating func superEncoder() -> any Encoder {
        let index = IndexKey(intValue: count)
        count += 1
        return encoder.detached(encoder.tree.append(to: node, key: "", .empty), key: index)
    }
}

/// An array position in a coding path.
private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// Writes a finished tree with Foundation's pretty layout: two spaces per
/// level, `"key" : value`, `,` plus newline between members, and an empty
/// container as its brackets on two lines with an empty line between.
private struct JSONTreeWriter {
    private let nodes: [JSONTree.Node]
    /// What has been written, in order: finished pieces, then `bytes`.
    var segments: [[UInt8]] = []
    var bytes: [UInt8] = []
    /// Members of the objects being written, innermost last.
    private var members: [Int] = []
    /// Sorted member orders by key sequence: most objects repeat one of a few.
    private var orders = SortedOrders()

    init(_ tree: JSONTree) {
        nodes = tree.nodes
        bytes.reserveCapacity(nodes.count * 40)
    }

    mutating func write(_ index: Int, depth: Int) throws {
        switch nodes[index].value {
        case .empty, .object: try writeObject(index, depth: depth)
        case .runs(let pieces): try writeRuns(pieces, depth: depth)
        case .array: try writeArray(index, depth: depth)
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .signed(let value): writeDecimal(value.magnitude, negative: value < 0)
        case .unsigned(let value): writeDecimal(value, negative: false)
        case .float(let text): bytes.append(contentsOf: text.utf8)
        case .string(let value): writeString(value)
        }
    }

    private mutating func writeArray(_ index: Int, depth: Int) throws {
        try open(0x5B, depth: depth)
        try writeElements(of: index, depth: depth + 1)
        close(0x5D, depth: depth)
    }

    /// The elements of an array, each indented to `depth`, without the brackets.
    fileprivate mutating func writeElements(of index: Int, depth: Int) throws {
        for (position, child) in JSONTree.Children(nodes, of: index).enumerated() {
            if position > 0 { bytes.append(contentsOf: [0x2C, 0x0A]) }
            indent(depth)
            try write(child, depth: depth)
        }
    }

    /// An array whose runs of elements are already written: each piece is kept as a segment of its own.
    private mutating func writeRuns(_ pieces: [[UInt8]], depth: Int) throws {
        try open(0x5B, depth: depth)
        for (position, piece) in pieces.enumerated() {
            if position > 0 { bytes.append(contentsOf: [0x2C, 0x0A]) }
            segments.append(bytes)
            segments.append(piece)
            bytes = []
        }
        close(0x5D, depth: depth)
    }

    private mutating func writeObject(_ index: Int, depth: Int) throws {
        try open(0x7B, depth: depth)
        let base = members.count
        members.append(contentsOf: JSONTree.Children(nodes, of: index))
        let order = orders.order(of: members[base...], in: nodes)
        for (position, offset) in order.enumerated() {
            if position > 0 { bytes.append(contentsOf: [0x2C, 0x0A]) }
            indent(depth + 1)
            let member = members[base + offset]
            writeString(nodes[member].key)
            bytes.append(contentsOf: [0x20, 0x3A, 0x20])
            try write(member, depth: depth + 1)
        }
        members.removeSubrange(base...)
        close(0x7D, depth: depth)
    }

    private mutating func open(_ bracket: UInt8, depth: Int) throws {
        guard depth < 511 else {
            throw EncodingError.invalidValue(depth, .init(codingPath: [], debugDescription: "nested too deeply"))
        }
        bytes.append(bracket)
        bytes.append(0x0A)
    }

    private mutating func close(_ bracket: UInt8, depth: Int) {
        bytes.append(0x0A)
        indent(depth)
        bytes.append(bracket)
    }

    private mutating func indent(_ depth: Int) {
        bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }

    private mutating func writeDecimal(_ magnitude: UInt64, negative: Bool) {
        if negative { bytes.append(0x2D) }
        var divisor: UInt64 = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(0x30 + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }

    /// Quotes and escapes `"`, `\` and control characters; everything else,
    /// `/` and non-ASCII included, is copied as UTF-8.
    private mutating func writeString(_ value: String) {
        bytes.append(0x22)
        var text = value
        text.withUTF8 { utf8 in
            var start = 0
            for (position, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: utf8[start..<position])
                start = position + 1
                bytes.append(0x5C)
                switch byte {
                case 0x22, 0x5C: bytes.append(byte)
                case 0x08: bytes.append(0x62)
                case 0x0C: bytes.append(0x66)
                case 0x0A: bytes.append(0x6E)
                case 0x0D: bytes.append(0x72)
                case 0x09: bytes.append(0x74)
                default: bytes.append(contentsOf: [0x75, 0x30, 0x30, Self.hexDigit(byte >> 4), Self.hexDigit(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: utf8[start...])
        }
        bytes.append(0x22)
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 + value : 0x61 + value - 10
    }
}

/// The order to write an object's members in: by key bytes, and of a repeated
/// key only the last. Remembered per key sequence, recognised by the keys'
/// string bits (a synthesized `CodingKeys` hands out the same literal each time).
private struct SortedOrders {
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
