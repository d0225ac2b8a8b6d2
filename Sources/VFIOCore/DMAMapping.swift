/// One DMA mapping a session made.
public struct DMAMapping: Hashable, Sendable {
    public let iova: UInt64
    public let length: UInt64
    /// The process address mapped.
    public let address: UInt64

    public var range: IOVARange? { IOVARange(start: iova, length: length) }
}
