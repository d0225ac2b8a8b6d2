import Foundation
import Testing
@testable import VFIOClaim
import VFIOCore
import VFIOSysfs

@Suite struct ReleaserTests {
    private let group2 = ClaimHost.group(2)

    @Test func releasePutsBackTheDriverAndTheOverrideExactly() throws {
        let host = try ClaimHost(nvmeOverride: "nvme")
        let before = host.bindings()
        _ = try host.claimer().run(.init(groups: [group2]))
        #expect(host.kernel.overrideValue("0000:03:02.0") == "vfio-pci")

        let report = try host.releaser().run(groups: [group2], force: false)
        #expect(report.groups.map(\.result) == [.released])
        #expect(host.bindings() == before)
        #expect(host.kernel.overrideValue("0000:03:02.0") == "nvme")
        #expect(host.kernel.current("0000:03:01.0") == nil, "the edu was unbound before: it stays unbound")
        #expect(!host.journalExists)

        let again = try host.releaser().run(groups: [group2], force: false)
        #expect(again.groups.map(\.result) == [.unchanged])
        #expect(again.groups.first?.writes.isEmpty == true)
    }

    @Test func withoutAJournalReleaseClearsTheOverrideReprobesAndWarns() throws {
        let host = try ClaimHost()
        _ = try host.claimer().run(.init(groups: [group2]))
        try FileManager.default.removeItem(atPath: host.paths.journal(group2))

        let report = try host.releaser().run(groups: [group2], force: false)
        let outcome = try #require(report.groups.first)
        #expect(outcome.result == .reset)
        #expect(host.kernel.current("0000:03:02.0") == "nvme", "drivers_probe found the driver its IDs match")
        #expect(host.kernel.overrideValue("0000:03:02.0") == nil)
        #expect(outcome.warnings.count == 2)
        #expect(outcome.warnings.allSatisfy { $0.contains("original driver was not recorded") })
    }

    @Test func aProcessHoldingTheGroupBlocksReleaseUnlessForced() throws {
        let host = try ClaimHost()
        _ = try host.claimer().run(.init(groups: [group2]))
        // The group node is a character device: /dev/null stands in for it (matched by st_rdev).
        try host.tree.link("dev/vfio/2", to: "/dev/null")
        try host.tree.write("proc/777/comm", "dpdk-testpmd\n")
        try host.tree.link("proc/777/fd/9", to: "/dev/null")
        let claimed = host.bindings()

        let refused = try host.releaser().run(groups: [group2], force: false)
        #expect(refused.groups.map(\.result) == [.refused])
        #expect(refused.groups.first?.hazards.first?.message.contains("pid 777 (dpdk-testpmd)") == true)
        #expect(host.bindings() == claimed)

        let forced = try host.releaser().run(groups: [group2], force: true)
        #expect(forced.groups.map(\.result) == [.released])
    }

    @Test func statusReportsRebindsByOthersAndInterruptedClaims() throws {
        let host = try ClaimHost()
        _ = try host.claimer().run(.init(groups: [group2]))
        #expect(try ClaimStatus(paths: host.paths).held().map(\.consistent) == [true])

        try host.tree.setDriver("0000:03:02.0", "nvme")
        let drifted = try #require(try ClaimStatus(paths: host.paths).held().first)
        #expect(drifted.drift == ["0000:03:02.0 is on nvme, not vfio-pci: rebound by someone else since the claim"])

        let crashed = try ClaimHost()
        let kernel = SimulatedKernel(crashed.tree, native: ClaimHost.native, crashAfter: 2)
        _ = try? crashed.claimer(kernel).run(.init(groups: [group2]))
        let interrupted = try #require(try ClaimStatus(paths: crashed.paths).held().first)
        #expect(interrupted.phase == .releasing)
        #expect(interrupted.drift.first?.hasPrefix("interrupted while releasing") == true)
    }
}
