/// Writes a finished tree with Foundation's pretty layout: two spaces per
/// level, `"key" : value`, `,` plus newline between members, and an empty
/// container as its brackets on two lines with an empty line between.
struct JSONTreeWriter {
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
    mutating func writeElements(of index: Int, depth: Int) throws {
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
