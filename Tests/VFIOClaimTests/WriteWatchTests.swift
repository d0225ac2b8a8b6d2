import Foundation
import LinuxSystem
import Testing
@testable import VFIOClaim
import VFIOCore
import VFIOSysfs

/// A kernel whose unbind of one driver blocks for a while, as a driver's
/// remove callback that waits for its users does.
private final class SlowUnbind: AttributeWriter, @unchecked Sendable {
    let kernel: SimulatedKernel
    let driver: String
    let seconds: Double

    init(_ kernel: SimulatedKernel, driver: String, seconds: Double) {
        self.kernel = kernel
        self.driver = driver
        self.seconds = seconds
    }

    func perform(_ write: SysfsWrite) -> Result<Void, Errno> {
        if write.path.hasSuffix("/drivers/\(driver)/unbind") { usleep(UInt32(seconds * 1_000_000)) }
        return kernel.perform(write)
    }
}

/// Collects what the watch reports.
private final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [StuckWrite] = []
    func add(_ item: StuckWrite) { lock.withLock { items.append(item) } }
    var all: [StuckWrite] { lock.withLock { items } }
}

@Suite struct WriteWatchTests {
    private let group2 = ClaimHost.group(2)

    @Test func aStuckUnbindIsReportedWhileItBlocksThenTheClaimFailsAndIsUndone() throws {
        let host = try ClaimHost()
        let before = host.bindings()
        let reports = Reports()
        let watch = WriteWatch(seconds: 1.5) { reports.add($0) }
        let claimer = Claimer(paths: host.paths, writer: SlowUnbind(host.kernel, driver: "nvme", seconds: 4),
                              scan: HazardScan(paths: host.paths, ipv4Addresses: { [:] }), viability: StubViability(),
                              watch: watch)
        #expect {
            try claimer.run(.init(groups: [group2]))
        } throws: { error in
            guard let error = error as? ClaimError else { return false }
            return error.code == "write-stuck" && error.message.contains("/drivers/nvme/unbind took")
                && error.message.contains("rolled back")
        }
        #expect(reports.all.count == 1)
        #expect(reports.all.first?.write.path.hasSuffix("/drivers/nvme/unbind") == true)
        #expect(reports.all.first?.journal == host.paths.journal(group2))
        #expect(reports.all.first?.cause.hasPrefix("nvme's remove callback has not returned") == true)
        #expect(host.bindings() == before, "everything done is undone")
        #expect(!host.journalExists)
    }

    @Test func aWriteWithinTheBoundIsNotReported() throws {
        let host = try ClaimHost()
        let reports = Reports()
        let claimer = Claimer(paths: host.paths, writer: host.kernel,
                              scan: HazardScan(paths: host.paths, ipv4Addresses: { [:] }), viability: StubViability(),
                              watch: WriteWatch(seconds: 5) { reports.add($0) })
        let report = try claimer.run(.init(groups: [group2]))
        #expect(report.groups.map(\.result) == [.claimed])
        #expect(reports.all.isEmpty)
    }

    @Test func theCauseOfAStuckUnbindOfANinePDevice() throws {
        let host = try ClaimHost()
        try host.tree.addVirtio("virtio2", below: "0000:01:00.0", driver: "9pnet_virtio", tag: "share")
        let address = try #require(PCIAddress("0000:01:00.0"))
        let write = SysfsWrite(device: address, path: host.paths.unbind(try #require(DriverName(rawValue: "virtio-pci"))),
                               value: address.description)
        #expect(WriteWatch.cause(of: write, paths: host.paths).hasPrefix(
            "virtio2 is a virtio-9p device: the kernel's p9_virtio_remove waits until every 9p mount of tag share"))
    }
}
