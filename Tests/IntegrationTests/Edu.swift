import Foundation
import Testing
import VFIOCore
import VFIOSysfs

/// QEMU's `edu` test device driven through VFIO (QEMU docs/specs/edu.rst):
/// BAR0 registers, a DMA engine with a 28-bit mask and a 4 KiB internal buffer
/// at device address 0x40000.
struct Edu {
    static let identification: UInt32 = 0x0100_00ed
    static let buffer: UInt64 = 0x40000
    static let bufferSize = 4096
    /// The most one DMA may move: QEMU 7.2's range check is off by one and aborts
    /// QEMU ("hardware error: EDU: DMA range ... out of bounds") for a whole 4096 bytes.
    static let maxTransfer = bufferSize / 2
    static let dmaMask: UInt64 = (1 << 28) - 1

    enum Register {
        static let identification = 0x00
        static let liveness = 0x04
        static let dmaSource = 0x80
        static let dmaDestination = 0x88
        static let dmaCount = 0x90
        static let dmaCommand = 0x98
    }

    struct Timeout: Error, CustomStringConvertible {
        let command: UInt64
        var description: String { "edu DMA did not finish: command register still 0x\(String(command, radix: 16))" }
    }

    let device: VFIODevice
    let bar0: RegionMapping

    /// Maps BAR0 and sets bus master enable (config COMMAND bit 2) through the VFIO config region.
    init(_ device: VFIODevice) throws {
        self.device = device
        bar0 = try device.map(try device.regionInfo(.bar(0)))
        let command = try device.readConfig(at: 4, count: 2)
        try device.writeConfig([command[0] | 0x06, command[1]], at: 4)  // memory space + bus master
    }

    var id: UInt32 { get throws { try bar0.read(UInt32.self, at: Register.identification) } }

    /// Writes `value` to the liveness register and reads back its inverse.
    func liveness(_ value: UInt32) throws -> UInt32 {
        try bar0.write(value, at: Register.liveness)
        return try bar0.read(UInt32.self, at: Register.liveness)
    }

    /// Copies `count` bytes from `source` to `destination` with edu's DMA engine
    /// and waits for it. `toRAM` false: RAM (IOVA) → edu buffer; true: edu → RAM.
    func dma(from source: UInt64, to destination: UInt64, count: Int, toRAM: Bool) throws {
        try bar0.write(source, at: Register.dmaSource)
        try bar0.write(destination, at: Register.dmaDestination)
        try bar0.write(UInt64(count), at: Register.dmaCount)
        try bar0.write(UInt64(toRAM ? 0b011 : 0b001), at: Register.dmaCommand)
        let deadline = Date().addingTimeInterval(10)
        var command = try bar0.read(UInt64.self, at: Register.dmaCommand)
        while command & 1 != 0 {
            guard Date() < deadline else { throw Timeout(command: command) }
            usleep(1000)
            command = try bar0.read(UInt64.self, at: Register.dmaCommand)
        }
    }

    /// Copies `count` bytes from IOVA `source` into edu's buffer and back out to IOVA `destination`.
    func roundTrip(from source: UInt64, to destination: UInt64, count: Int) throws {
        try dma(from: source, to: Self.buffer, count: count, toRAM: false)
        try dma(from: Self.buffer, to: destination, count: count, toRAM: true)
    }
}

/// The lone edu behind its own root port, in a group of its own.
enum LoneEdu {
    static let address = PCIAddress("0000:01:00.0")!

    /// Binds it to vfio-pci, runs `body`, and gives it back unbound (edu has no kernel driver).
    /// Where the IOMMU cannot isolate MSIs, allows unsafe interrupts meanwhile.
    static func withVFIO<T>(_ body: () throws -> T) throws -> T {
        try SysfsWrite.bindVFIO(address)
        defer { try? SysfsWrite.release(address) }
        return try UnsafeInterrupts.allowedIfNeeded(body)
    }
}

/// virtio-iommu on x86 does no interrupt remapping, so vfio_iommu_type1 refuses
/// VFIO_SET_IOMMU and iommufd refuses VFIO_DEVICE_BIND_IOMMUFD (EPERM) unless
/// each module's `allow_unsafe_interrupts` is set; both are writable at run time.
enum UnsafeInterrupts {
    static let parameters = [
        "/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts",
        "/sys/module/iommufd/parameters/allow_unsafe_interrupts",
    ]

    /// Whether the guest's IOMMU lacks MSI isolation.
    static var needed: Bool { Guest.topology == "virtio" }

    static func allowedIfNeeded<T>(_ body: () throws -> T) throws -> T {
        guard needed else { return try body() }
        for parameter in parameters { try SysfsWrite.write("Y", to: parameter) }
        defer { for parameter in parameters { try? SysfsWrite.write("N", to: parameter) } }
        return try body()
    }
}

/// Kernel log lines written while `body` runs, read from /dev/kmsg.
enum KernelLog {
    static func during<T>(_ body: () throws -> T) throws -> (result: T, lines: [String]) {
        let fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd >= 0 { lseek(fd, 0, SEEK_END) }
        defer { if fd >= 0 { close(fd) } }
        let result = try body()
        var lines: [String] = []
        guard fd >= 0 else { return (result, lines) }
        var record = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = record.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EPIPE { continue }  // overwritten records
            guard count > 0 else { break }
            let text = String(decoding: record[0..<count], as: UTF8.self)
            let message = text.split(separator: ";", maxSplits: 1).last.map(String.init) ?? text
            lines.append(message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return (result, lines)
    }
}
