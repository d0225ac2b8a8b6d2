import Glibc
import Dispatch

/// Maps in parallel over all cores, keeping the order. Workers take
/// contiguous runs of elements as they become free; there are many runs per
/// core, so uneven elements or a core that other processes slow down leave
/// the others waiting little at the end.
public func parallelMap<Element: Sendable, Result: Sendable>(
    _ elements: [Element], _ transform: @Sendable (Element) -> Result
) -> [Result] {
    guard elements.count > 1, OnlineCores.count > 1 else { return elements.map(transform) }
    let runs = min(elements.count, OnlineCores.count * 32)
    return Array(unsafeUninitializedCapacity: elements.count) { buffer, initialized in
        let slots = SendableBuffer(buffer)
        DispatchQueue.concurrentPerform(iterations: runs) { run in
            for index in elements.count * run / runs..<elements.count * (run + 1) / runs {
                (slots.buffer.baseAddress! + index).initialize(to: transform(elements[index]))
            }
        }
        initialized = elements.count
    }
}

/// The number of online CPUs (`_SC_NPROCESSORS_ONLN`), at least 1.
public enum OnlineCores {
    public static let count = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

private struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
