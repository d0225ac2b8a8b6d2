/// How a library value is written in a report's JSON. The shapes live here,
/// next to the reports, so that no library type decides the schema of `--json`.
protocol JSONShape: Encodable {
    associatedtype Value
    init(value: Value)
}

/// Library values written as one JSON array, each in its shape as it is encoded: a report can store
/// them so without building an array of shapes (which `list` would pay for in every group).
struct JSONArray<Shape: JSONShape>: Encodable {
    let values: [Shape.Value]

    func encode(to encoder: any Encoder) throws {
        var array = encoder.unkeyedContainer()
        for value in values { try array.encode(Shape(value: value)) }
    }
}

extension JSONArray: Sendable where Shape.Value: Sendable {}

extension KeyedEncodingContainer {
    /// `value` in its JSON shape.
    mutating func encode<Shape: JSONShape>(_ value: Shape.Value, as shape: Shape.Type, forKey key: Key) throws {
        try encode(Shape(value: value), forKey: key)
    }

    /// `value` in its JSON shape; nothing when it is nil.
    mutating func encodeIfPresent<Shape: JSONShape>(_ value: Shape.Value?, as shape: Shape.Type, forKey key: Key) throws {
        if let value { try encode(Shape(value: value), forKey: key) }
    }

    /// `values` as an array, each in its JSON shape, without building an array of shapes.
    mutating func encode<Shape: JSONShape>(_ values: some Sequence<Shape.Value>, as shape: Shape.Type, forKey key: Key)
        throws
    {
        var array = nestedUnkeyedContainer(forKey: key)
        for value in values { try array.encode(Shape(value: value)) }
    }

    /// `values` as an array, each in its JSON shape; nothing when it is nil.
    mutating func encodeIfPresent<Shape: JSONShape>(_ values: (some Sequence<Shape.Value>)?, as shape: Shape.Type,
                                                    forKey key: Key) throws
    {
        if let values { try encode(values, as: shape, forKey: key) }
    }
}
