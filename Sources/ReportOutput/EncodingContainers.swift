struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
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
enum SuperKey {
    static func key<Key: CodingKey>(_ type: Key.Type) -> Key {
        guard let key = Key(intValue: 0) else { preconditionFailure("\(Key.self) has no key for super") }
        return key
    }
}

struct UnkeyedContainer: UnkeyedEncodingContainer, ScalarEncoding {
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
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}
