#if canImport(Glibc)
import Glibc
#endif
import LinuxSystem

/// The target this process fuzzes, named by `VFIOADM_FUZZ_TARGET` (Scripts/fuzz sets it).
private let selected: FuzzTarget = {
    let name = getenv("VFIOADM_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget.all.first(where: { $0.name == name }) else {
        let names = FuzzTarget.all.map(\.name).joined(separator: " ")
        let message = "vfioadm-fuzz: VFIOADM_FUZZ_TARGET \(name.debugDescription) is not one of: \(names)\n"
        _ = Array(message.utf8).withUnsafeBytes { Syscall.writeAll(STDERR_FILENO, $0) }
        exit(2)
    }
    return target
}()

/// libFuzzer calls this once before the first input: an unknown target stops the run here.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutableRawPointer?) -> Int32 {
    _ = selected
    return 0
}

/// libFuzzer calls this with every input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selected.run(UnsafeBufferPointer(start: size > 0 ? data : nil, count: size))
    return 0
}
