import Glibc
import LinuxSystem

/// The two-call pattern of VFIO INFO ioctls with capability chains: the caller
/// sets `argsz`; when the chain does not fit, the kernel raises `argsz` to the
/// size it needs, leaves `cap_offset` 0 and still succeeds, and the call is
/// repeated with a buffer of that size.
enum ArgszQuery {
    /// Replies larger than this are refused (E2BIG): a real chain is a few hundred bytes.
    static let limit = 1 << 20

    /// Runs `call` on a zeroed buffer of `initialSize` bytes (at least the info
    /// struct) prepared by `prepare` (which need not set `argsz`: it is set here).
    /// Grows and repeats while the kernel asks for more, at most four times.
    static func fetch(
        initialSize: Int,
        prepare: (inout [UInt8]) -> Void = { _ in },
        call: (UnsafeMutableRawBufferPointer) -> Result<Int32, Errno>
    ) -> Result<[UInt8], Errno> {
        var size = initialSize
        for _ in 0..<4 {
            var buffer = [UInt8](repeating: 0, count: size)
            prepare(&buffer)
            buffer.store(UInt32(truncatingIfNeeded: size), at: 0)
            if case .failure(let errno) = buffer.withUnsafeMutableBytes({ call($0) }) {
                return .failure(errno)
            }
            let wanted = Int(buffer.load(UInt32.self, at: 0) ?? 0)
            if wanted <= size { return .success(buffer) }
            guard wanted <= limit else { return .failure(Errno(rawValue: E2BIG)) }
            size = wanted
        }
        return .failure(Errno(rawValue: EMSGSIZE))
    }
}
