// vfioadm-dma-bench: maps and unmaps 1 GiB through vfioadm's VFIOCore library in
// 4 KiB steps, in 2 MiB steps and as one huge-page-backed mapping, and prints
// "ROW PART map NS unmap NS" lines like its C twin (Scripts/bench/dma-bench.c):
// 4k in 16 parts of 64 MiB, 2m and huge whole, 8 and 32 passes.
// A benchmark, not a test: Scripts/bench/dma-bench runs both in the guest.
//
//   vfioadm-dma-bench type1v2|iommufd DDDD:BB:DD.F [4k|2m|huge]   (one row, or all)
import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

let gib = 1 << 30
let iovaBase: UInt64 = 1 << 32

func fail(_ message: String) -> Never {
    let line = Array("vfioadm-dma-bench: \(message)\n".utf8)
    _ = line.withUnsafeBytes { Syscall.writeAll(STDERR_FILENO, $0) }
    exit(1)
}

func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// The library's map and unmap calls on a handle held as a VMM holds it (no
/// DMASession bookkeeping). One conformance per mode, so the timed loops are
/// specialised and call the library directly, as the C twin calls ioctl.
protocol Mapper {
    func map(_ address: UInt64, iova: UInt64, length: UInt64) throws(VFIOError)
    func unmap(iova: UInt64, length: UInt64) throws(VFIOError)
}

struct ContainerMapper: Mapper {
    let container: VFIOContainer

    func map(_ address: UInt64, iova: UInt64, length: UInt64) throws(VFIOError) {
        try container.mapDMA(vaddr: address, iova: iova, size: length)
    }

    func unmap(iova: UInt64, length: UInt64) throws(VFIOError) {
        _ = try container.unmapDMA(iova: iova, size: length)
    }
}

struct IOASMapper: Mapper {
    let iommufd: IOMMUFD
    let ioas: UInt32

    func map(_ address: UInt64, iova: UInt64, length: UInt64) throws(VFIOError) {
        _ = try iommufd.ioasMap(ioas, userAddress: address, length: length, iova: iova)
    }

    func unmap(iova: UInt64, length: UInt64) throws(VFIOError) {
        _ = try iommufd.ioasUnmap(ioas, iova: iova, length: length)
    }
}

/// Maps the whole buffer in `step`-sized pieces at consecutive IOVAs, then
/// unmaps them in order, `repeats` times; prints "NAME PART map NS unmap NS"
/// for each of the `parts` equal parts of every pass, as the C twin does.
func row<M: Mapper>(_ mapper: M, _ name: String, _ buffer: DMABuffer, step: Int, repeats: Int, parts: Int) {
    let part = gib / parts
    var mapNanoseconds = [UInt64](repeating: 0, count: parts)
    var unmapNanoseconds = [UInt64](repeating: 0, count: parts)
    do {
        for _ in 0..<repeats {
            for index in 0..<parts {
                let start = now()
                for offset in stride(from: index * part, to: (index + 1) * part, by: step) {
                    try mapper.map(buffer.address + UInt64(offset), iova: iovaBase + UInt64(offset), length: UInt64(step))
                }
                mapNanoseconds[index] = now() - start
            }
            for index in 0..<parts {
                let start = now()
                for offset in stride(from: index * part, to: (index + 1) * part, by: step) {
                    try mapper.unmap(iova: iovaBase + UInt64(offset), length: UInt64(step))
                }
                unmapNanoseconds[index] = now() - start
            }
            for index in 0..<parts {
                print("\(name) \(index) map \(mapNanoseconds[index]) unmap \(unmapNanoseconds[index])")
            }
        }
    } catch {
        fail("\(name): \(error)")
    }
    fflush(nil)
}

/// The rows asked for (all three by default), in the C twin's order.
func rows<M: Mapper>(_ mapper: M, only: String?) {
    if only != "huge" {
        let pages = buffer(.pages)
        if only == nil || only == "4k" { row(mapper, "4k", pages, step: 4096, repeats: 1, parts: 16) }
        if only == nil || only == "2m" { row(mapper, "2m", pages, step: 2 << 20, repeats: 8, parts: 1) }
    }
    if only == nil || only == "huge" { row(mapper, "huge", buffer(.hugePages(log2Size: 21)), step: gib, repeats: 32, parts: 1) }
}

func buffer(_ backing: DMABuffer.Backing) -> DMABuffer {
    do {
        let buffer = try DMABuffer(length: gib, backing: backing)
        memset(buffer.base, 1, gib)  // fault every page in before timing
        return buffer
    } catch {
        fail("\(error)")
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4, let mode = Mode(rawValue: arguments[1]),
      mode == .type1v2 || mode == .iommufd, let address = PCIAddress(arguments[2])
else { fail("usage: vfioadm-dma-bench type1v2|iommufd DDDD:BB:DD.F [4k|2m|huge]") }
let only = arguments.count == 4 ? arguments[3] : nil
if let only, !["4k", "2m", "huge"].contains(only) { fail("unknown row \(only)") }

let session: DMASession
do { session = try DMASession.open(address, mode: mode) } catch { fail("\(error)") }
switch session.backend {
case .container(_, let container, _): rows(ContainerMapper(container: container), only: only)
case .iommufd(let iommufd, _, let ioas, _): rows(IOASMapper(iommufd: iommufd, ioas: ioas), only: only)
}
