/// One DMA mapping a session made.
public struct DMAMapping: Hashable, Sendable {
    public let iova: UInt64
    public let length: UInt64
    /// The process address mapped.
    public let address: UInt64

    public init(iova: UInt64, length: UInt64, address: UInt64) {
        self.iova = iova
        self.length = length
        self.address = address
    }

    public var range: IOVARange? { IOVARange(start: iova, length: length) }
}
