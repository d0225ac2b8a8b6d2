/// One fuzz target: the parser it drives, by name, and what it does with one input.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable (UnsafeBufferPointer<UInt8>) -> Void

    /// Every target, in the order Scripts/fuzz runs them.
    static let all: [FuzzTarget] = argumentTargets + sysfsTargets + procTargets + stateTargets
}

/// A file's bytes as `FileSystem.readText` gives them to the parsers: trailing newlines removed, UTF-8 repaired.
func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    var end = bytes.count
    while end > 0, bytes[end - 1] == 0x0A { end -= 1 }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
}

/// Stops the run when a parser breaks a promise of its own (libFuzzer saves the input as a crash).
func require(_ condition: Bool, _ what: @autoclosure () -> String) {
    if !condition { fatalError("vfioadm-fuzz: \(what())") }
}
