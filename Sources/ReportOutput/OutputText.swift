import LinuxSystem

/// Text for stdout or stderr as the UTF-8 pieces it was made in: a large
/// report is written out piece by piece instead of being copied into one
/// string first.
package struct OutputText {
    package var pieces: [[UInt8]]

    package init(pieces: [[UInt8]]) {
        self.pieces = pieces
    }

    package init(_ text: String) {
        pieces = [Array(text.utf8)]
    }

    /// The pieces copied once into one string.
    package var joined: String {
        let total = pieces.reduce(0) { $0 + $1.count }
        return String(unsafeUninitializedCapacity: total) { buffer in
            var offset = 0
            for piece in pieces {
                piece.withUnsafeBufferPointer { bytes in
                    guard let source = bytes.baseAddress else { return }
                    (buffer.baseAddress! + offset).initialize(from: source, count: bytes.count)
                }
                offset += piece.count
            }
            return total
        }
    }

    /// Writes every piece to `fd`, retrying short writes and EINTR; stops at the first other error.
    package func write(to fd: Int32) {
        for piece in pieces {
            guard case .success = piece.withUnsafeBytes({ Syscall.writeAll(fd, $0) }) else { return }
        }
    }
}
