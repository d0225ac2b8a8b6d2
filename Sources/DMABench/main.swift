// vfioadm-dma-bench: maps and unmaps 1 GiB through vfioadm's VFIOCore library in
// 4 KiB steps, in 2 MiB steps and as one huge-page-backed mapping, and prints
// "ROW map NS unmap NS" lines like its C twin (Scripts/bench/dma-bench.c); the
// 2m and huge rows are the mean of 8 and 32 repeats.
// A benchmark, not a test: Scripts/bench/dma-bench runs both in the guest.
//
//   vfioadm-dma-bench type1v2|iommufd DDDD:BB:DD.F
#if canImport(Glibc)
import Glibc
#endif
import VFIOCore
import VFIOSysfs

let gib = 1 << 30
let iovaBase: UInt64 = 1 << 32

func fail(_ message: String) -> Never {
    let line = Array("vfioadm-dma-bench: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// One open device and the map and unmap calls of the library, without
/// DMASession's bookkeeping; the container or iommufd is held as a VMM holds it.
struct Bench {
    let session: DMASession
    let container: VFIOContainer?
    let iommufd: IOMMUFD?
    let ioas: UInt32

    init(session: DMASession) {
        self.session = session
        container = session.container
        iommufd = session.iommufd
        ioas = session.ioas ?? 0
    }

    func map(_ address: UInt64, iova: UInt64, length: UInt64) throws(VFIOError) {
        if let container {
            try container.mapDMA(vaddr: address, iova: iova, size: length)
        } else if let iommufd {
            _ = try iommufd.ioasMap(ioas, userAddress: address, length: length, iova: iova)
        }
    }

    func unmap(iova: UInt64, length: UInt64) throws(VFIOError) {
        if let container {
            _ = try container.unmapDMA(iova: iova, size: length)
        } else if let iommufd {
            _ = try iommufd.ioasUnmap(ioas, iova: iova, length: length)
        }
    }

    /// Maps the whole buffer in `step`-sized pieces at consecutive IOVAs, then unmaps them one by one;
    /// prints the mean of `repeats` passes.
    func row(_ name: String, _ buffer: DMABuffer, step: Int, repeats: Int) {
        var mapNanoseconds: UInt64 = 0
        var unmapNanoseconds: UInt64 = 0
        do {
            for _ in 0..<repeats {
                let start = now()
                for offset in stride(from: 0, to: gib, by: step) {
                    try map(buffer.address + UInt64(offset), iova: iovaBase + UInt64(offset), length: UInt64(step))
                }
                let mapped = now()
                for offset in stride(from: 0, to: gib, by: step) {
                    try unmap(iova: iovaBase + UInt64(offset), length: UInt64(step))
                }
                mapNanoseconds += mapped - start
                unmapNanoseconds += now() - mapped
            }
        } catch {
            fail("\(name): \(error)")
        }
        print("\(name) map \(mapNanoseconds / UInt64(repeats)) unmap \(unmapNanoseconds / UInt64(repeats))")
        fflush(nil)
    }
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
guard arguments.count == 3, let mode = Mode(rawValue: arguments[1]), mode == .type1v2 || mode == .iommufd,
      let address = PCIAddress(arguments[2])
else { fail("usage: vfioadm-dma-bench type1v2|iommufd DDDD:BB:DD.F") }

let bench: Bench
do { bench = Bench(session: try DMASession.open(address, mode: mode)) } catch { fail("\(error)") }
do {
    let pages = buffer(.pages)
    bench.row("4k", pages, step: 4096, repeats: 1)
    bench.row("2m", pages, step: 2 << 20, repeats: 8)
}
bench.row("huge", buffer(.hugePages(log2Size: 21)), step: gib, repeats: 32)
