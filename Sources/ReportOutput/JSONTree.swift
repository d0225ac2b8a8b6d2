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
