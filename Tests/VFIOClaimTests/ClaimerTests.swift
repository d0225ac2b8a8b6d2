import Foundation
import Testing
@testable import VFIOClaim
import VFIOCore
import VFIOSysfs

@Suite struct ClaimerTests {
    private let group2 = ClaimHost.group(2)

    @Test func claimMovesTheEndpointsRecordsTheOriginalsAndAsksTheKernel() throws {
        let host = try ClaimHost()
        let viability = StubViability()
        let report = try host.claimer(viability: viability).run(.init(groups: [group2]))
        let outcome = try #require(report.groups.first)
        #expect(outcome.result == .claimed)
        #expect(outcome.kernelViable == true)
        #expect(viability.calls == 1)
        #expect(host.kernel.log == outcome.writes)
        #expect(outcome.writes.count == 5)
        #expect(host.kernel.current("0000:03:01.0") == "vfio-pci")
        #expect(host.kernel.current("0000:03:02.0") == "vfio-pci")
        #expect(host.kernel.current("0000:02:00.0") == nil)

        let journal = try #require(try JournalStore(paths: host.paths).load(group2))
        #expect(journal.phase == .claimed)
        #expect(journal.pending == nil)
        #expect(journal.members.map(\.originalDriver?.rawValue) == [nil, nil, "nvme"])
        #expect(journal.members.map(\.target?.rawValue) == [nil, "vfio-pci", "vfio-pci"])
    }

    @Test func claimingAHeldGroupChangesNothing() throws {
        let host = try ClaimHost()
        _ = try host.claimer().run(.init(groups: [group2]))
        let writes = host.kernel.log.count
        let again = try host.claimer().run(.init(groups: [group2]))
        #expect(again.groups.map(\.result) == [.unchanged])
        #expect(host.kernel.log.count == writes)
    }

    @Test func aHazardRefusesBeforeAnyWriteAndForceOverridesIt() throws {
        let host = try ClaimHost()
        try host.tree.addDisk("nvme0n1", below: "0000:03:02.0", number: "259:0")
        try host.tree.mounts([("259:0", "/srv")])
        let before = host.bindings()

        let refused = try host.claimer().run(.init(groups: [group2]))
        #expect(refused.groups.map(\.result) == [.refused])
        #expect(refused.groups.first?.writes.isEmpty == true)
        #expect(host.kernel.log.isEmpty)
        #expect(host.bindings() == before)
        #expect(!host.journalExists)

        let forced = try host.claimer().run(.init(groups: [group2], force: true))
        #expect(forced.groups.map(\.result) == [.claimed])
        #expect(forced.groups.first?.forced == true)
    }

    @Test func oneRefusedGroupRefusesTheWholeClaim() throws {
        let host = try ClaimHost()
        let report = try host.claimer().run(.init(groups: [ClaimHost.group(1), ClaimHost.group(3)]))
        #expect(report.groups.map(\.result) == [.refused, .refused])
        #expect(report.groups.map(\.hazards.count) == [0, 1])
        #expect(host.kernel.log.isEmpty)
    }

    @Test func aDirectRegionIsRefusedEvenWithForce() throws {
        let host = try ClaimHost()
        let report = try host.claimer().run(.init(groups: [ClaimHost.group(3)], force: true))
        #expect(report.groups.map(\.result) == [.refused])
        #expect(host.kernel.log.isEmpty)
    }

    @Test func aDryRunWritesNothingNotEvenTheStateDirectory() throws {
        let host = try ClaimHost()
        let report = try host.claimer().run(.init(groups: [group2], dryRun: true))
        #expect(report.groups.map(\.result) == [.planned])
        #expect(report.groups.first?.writes.count == 5)
        #expect(host.kernel.log.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: host.paths.state))
    }

    @Test(arguments: 1...5)
    func aFailedWriteIsRolledBackAndNamed(_ step: Int) throws {
        let host = try ClaimHost(failures: [step: EBUSY])
        let before = host.bindings()
        let planned = try ClaimPlanner(paths: host.paths, choice: .named(DriverChoice.vfioPCI))
            .plan(host.reader.group(group2)).writes
        let failing = planned[step - 1]
        #expect {
            try host.claimer().run(.init(groups: [group2]))
        } throws: { error in
            guard let error = error as? ClaimError else { return false }
            return error.kind == .failed && error.path == failing.path && error.errno?.rawValue == EBUSY
                && error.device == failing.device.description
                && error.message.hasPrefix("\(failing.device): write \"\(failing.value)\" to \(failing.path): ")
                && error.message.contains("(EBUSY)") && error.message.contains("rolled back: group 2")
        }
        #expect(host.bindings() == before)
        #expect(!host.journalExists)
    }

    @Test func whenTheKernelSaysNotViableTheClaimIsUndone() throws {
        let host = try ClaimHost()
        let before = host.bindings()
        #expect {
            try host.claimer(viability: StubViability(false)).run(.init(groups: [group2]))
        } throws: { error in
            (error as? ClaimError)?.code == "kernel-not-viable"
        }
        #expect(host.bindings() == before)
        #expect(!host.journalExists)
    }

    @Test func aFailureInALaterGroupUndoesTheEarlierOnes() throws {
        // Group 1 takes two writes; the fourth write belongs to group 2.
        let host = try ClaimHost(failures: [4: ENODEV])
        let before = host.bindings()
        #expect(throws: ClaimError.self) {
            try host.claimer().run(.init(groups: [ClaimHost.group(1), group2]))
        }
        #expect(host.bindings() == before)
        #expect(try JournalStore(paths: host.paths).all().isEmpty)
    }

    /// A process that dies after `step` writes leaves the journal; the next
    /// release, or the next claim, must reach a consistent state from there.
    /// (The simulated kernel stops taking writes after `step`, so the rollback
    /// fails as a dead process's would; after the fifth and last write the
    /// claim is stopped by a negative verdict instead.)
    @Test(arguments: 1...5)
    func aCrashAfterAnyWriteIsRecoveredByReleaseOrByClaim(_ step: Int) throws {
        for recovery in ["release", "claim"] {
            let host = try ClaimHost(nvmeOverride: nil)
            let before = host.bindings()
            let crashing = SimulatedKernel(host.tree, native: ClaimHost.native, crashAfter: step)
            #expect(throws: ClaimError.self) {
                try host.claimer(crashing, viability: StubViability(step < 5)).run(.init(groups: [group2]))
            }
            #expect(host.journalExists, "the journal survives the crash")

            let healthy = SimulatedKernel(host.tree, native: ClaimHost.native)
            if recovery == "release" {
                let report = try host.releaser(healthy).run(groups: [group2], force: false)
                #expect(report.groups.map(\.result) == [.released])
            } else {
                let report = try host.claimer(healthy).run(.init(groups: [group2]))
                #expect(report.groups.map(\.result) == [.claimed])
                #expect(host.kernel.current("0000:03:02.0") == "vfio-pci")
                let journal = try #require(try JournalStore(paths: host.paths).load(group2))
                #expect(journal.members.last?.originalDriver?.rawValue == "nvme", "the original survives the crash")
                _ = try host.releaser(healthy).run(groups: [group2], force: false)
            }
            #expect(host.bindings() == before, "after a crash at write \(step), recovered by \(recovery)")
            #expect(!host.journalExists)
        }
    }
}
