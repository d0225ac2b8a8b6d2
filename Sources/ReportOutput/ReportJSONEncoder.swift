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
package enum ReportJSONEncoder {
    /// The JSON text of `value` followed by `suffix`; throws where Foundation
    /// throws: a top-level value that encodes nothing, or a NaN or infinite
    /// floating-point number.
    package static func encode<T: Encodable>(_ value: T, suffix: String = "") throws -> String {
        try encodePieces(value, suffix: suffix).joined
    }

    /// As `encode`, the text left in the pieces it was written in (megabytes
    /// for `list` on a large host), for writing out without joining them.
    package static func encodePieces<T: Encodable>(_ value: T, suffix: String = "") throws -> OutputText {
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
