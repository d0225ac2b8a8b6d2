import Glibc
import LinuxSystem
import VFIOCore
import VFIOHost
import VFIOSysfs

/// Runs `probe`'s steps for one mode on a prepared device: open, describe,
/// allocate, map, verify, unmap, close, each timed with the monotonic clock.
/// A failed step ends the mode; everything opened closes with the session.
struct ProbeRunner {
    let target: VFIOTarget
    let size: UInt64
    let root: HostRoot

    func run(_ mode: Mode) -> ModeResult {
        var result = ModeResult(mode: mode)
        let recorder = StepRecorder()
        do {
            try steps(mode, into: &result, recorder: recorder)
        } catch {
            result.steps = recorder.steps
            classify(error, mode: mode, into: &result)
            return result
        }
        result.steps = recorder.steps
        return result
    }

    private func steps(_ mode: Mode, into result: inout ModeResult, recorder: StepRecorder) throws(VFIOError) {
        var session: DMASession? = try recorder.run("open", detail: Self.openDetail) { () throws(VFIOError) -> DMASession? in
            try DMASession.open(target.address, mode: mode, root: root)
        }
        if let opened = session {  // the binding ends with this block, leaving `session` the only reference
            try cycle(opened, into: &result, recorder: recorder)
        }
        recorder.record("close", detail: "every descriptor closed") { session = nil }
    }

    /// describe, allocate, map, verify, unmap.
    private func cycle(_ session: DMASession, into result: inout ModeResult, recorder: StepRecorder)
        throws(VFIOError)
    {
        let description = try recorder.run("describe") { () throws(VFIOError) -> DMASpaceDescription in
            try session.describe(includeHardware: true)
        }
        record(description, into: &result)
        if case .container(_, let container, _) = session.backend {
            result.extensions = try container.supportedExtensions().map(\.description)
        }

        let buffer = try recorder.run("allocate", detail: { (buffer: DMABuffer) in
            "\(ByteFormat.bytes(UInt64(buffer.length))) anonymous memory"
        }) { () throws(VFIOError) -> DMABuffer in
            guard let length = Int(exactly: size) else {
                throw VFIOError(.mmap, path: "anonymous memory", errno: Errno(rawValue: EOVERFLOW),
                                reason: "\(size) bytes do not fit in memory")
            }
            return try DMABuffer(length: length)
        }

        let iova = try recorder.run("map", detail: { (iova: UInt64) in
            "\(ByteFormat.bytes(size)) at IOVA \(ByteFormat.hex(iova))"
        }) { () throws(VFIOError) -> UInt64 in try session.map(buffer) }
        result.mapping = MappingReport(iova: ByteFormat.hex(iova), length: size)

        _ = try recorder.run("verify", detail: { (text: String) in text }) { () throws(VFIOError) -> String in
            try verify(session, iova: iova, ranges: description.iovaRanges, before: description.dmaAvailable)
        }

        _ = try recorder.run("unmap", detail: { (bytes: UInt64) in "\(ByteFormat.bytes(bytes)) unmapped" }) {
            () throws(VFIOError) -> UInt64 in
            let unmapped = try session.unmap(iova: iova, length: size)
            guard unmapped == size else {
                throw VFIOError(session.unmapOperation, path: session.dmaNode, errno: Errno(rawValue: EIO), reason: "the kernel unmapped \(unmapped) of \(size) bytes")
            }
            return unmapped
        }
    }

    /// The mapping lies in the IOVA ranges, the kernel refuses a second map at
    /// its first and last page (EEXIST), and type1 counts one DMA entry fewer.
    private func verify(_ session: DMASession, iova: UInt64, ranges: [IOVARange], before: UInt32?)
        throws(VFIOError) -> String
    {
        let path = session.dmaNode
        let operation = session.mapOperation
        guard let mapped = IOVARange(start: iova, length: size), ranges.contains(where: { $0.contains(mapped) }) else {
            throw VFIOError(operation, path: path, errno: Errno(rawValue: ERANGE),
                            reason: "the mapping at IOVA \(ByteFormat.hex(iova)) is outside the reported IOVA ranges")
        }
        for probe in [mapped.start, mapped.last] {
            guard try session.kernelHasMapping(at: probe) else {
                throw VFIOError(operation, path: path, errno: Errno(rawValue: ENOENT),
                                reason: "the kernel accepted a second mapping at IOVA \(ByteFormat.hex(probe)): "
                                    + "the first is not there")
            }
        }
        var detail = "inside the IOVA ranges; the kernel refuses a second map at both ends (EEXIST)"
        if let before, before != UInt32.max, let after = try session.describe(includeHardware: false).dmaAvailable {
            guard after < before else {
                throw VFIOError(operation, path: path, errno: Errno(rawValue: ENOENT),
                                reason: "DMA entries available stayed at \(after) after the map")
            }
            detail += "; DMA entries \(before) -> \(after)"
        }
        return detail
    }

    private func record(_ description: DMASpaceDescription, into result: inout ModeResult) {
        result.iommuType = description.iommuType?.description
        result.iovaRanges = description.iovaRanges.map(IOVARange.JSON.init)
        if let sizes = description.pageSizes {
            result.pageSizes = "0x" + String(sizes, radix: 16)
            result.pageSizeList = ByteFormat.pageSizes(sizes)
        }
        result.alignment = description.alignment
        result.dmaAvailable = description.dmaAvailable
        result.hardware = description.hardware.map(HardwareReport.init)
        result.problems = description.problems
    }

    /// Unavailable: a node or backend the kernel lacks; failed: any other call
    /// (EACCES/EPERM opening a node marks it a permission failure).
    private func classify(_ error: VFIOError, mode: Mode, into result: inout ModeResult) {
        let missingNode = error.operation == .open && error.errno.rawValue == ENOENT
            && [root.container, root.iommu].contains(error.path)
        let noCdev = error.operation == .open && error.errno.rawValue == ENODEV && mode == .iommufd
        let noBackend = error.operation == .setIOMMU && error.errno.rawValue == ENODEV
        if missingNode || noCdev || noBackend {
            result.outcome = .unavailable
            let availability = ModeProbe(root: root).availability(of: mode, device: target.address)
            result.reason = availability.available ? error.description : availability.reason
            return
        }
        result.outcome = .failed
        let context = DiagnosisContext(root: root, group: target.group, device: target.address, mapLength: size)
        result.error = ProbeError(error, advice: ErrorAdvice.explain(error, context: context))
    }

    private static func openDetail(_ session: DMASession?) -> String? {
        guard let session else { return nil }
        switch session.backend {
        case .container(let group, let container, let type):
            return "group \(group.path), container \(container.path), \(type), device fd"
        case .iommufd(let iommufd, let deviceID, let ioas, let hwpt):
            return "cdev \(session.device.name), bound to \(iommufd.path), dev id \(deviceID), IOAS \(ioas), HWPT \(hwpt)"
        }
    }
}

/// Collects timed steps; a step that throws is recorded as failed and rethrown.
final class StepRecorder {
    private(set) var steps: [ProbeStep] = []
    private let clock = ContinuousClock()

    func run<T>(_ name: String, detail: (T) -> String? = { _ in nil }, _ body: () throws(VFIOError) -> T)
        throws(VFIOError) -> T
    {
        let start = clock.now
        do {
            let value = try body()
            steps.append(ProbeStep(step: name, nanoseconds: Self.nanoseconds(clock.now - start), ok: true,
                                   detail: detail(value)))
            return value
        } catch {
            steps.append(ProbeStep(step: name, nanoseconds: Self.nanoseconds(clock.now - start), ok: false,
                                   detail: nil))
            throw error
        }
    }

    func record(_ name: String, detail: String?, _ body: () -> Void) {
        let start = clock.now
        body()
        steps.append(ProbeStep(step: name, nanoseconds: Self.nanoseconds(clock.now - start), ok: true, detail: detail))
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
