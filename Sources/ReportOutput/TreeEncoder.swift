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
