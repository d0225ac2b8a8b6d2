import Foundation
import SysfsTestSupport
import Testing
@testable import VFIOCommands

/// claim, release and status through the command layer, on hand-built trees;
/// the writes themselves are proven in VFIOClaimTests and in the guest.
@Suite struct ClaimCommandTests {
    private func run(_ tree: SysfsTree, _ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        VFIOAdm.run(arguments: ["--sysfs-root", tree.root.path] + arguments
            + ["--state-dir", tree.root.path + "/run/vfioadm", "--dev-root", tree.root.path,
               "--config-dir", tree.root.path + "/etc/vfioadm"])
    }

    private var stateDirectory: (SysfsTree) -> String { { $0.root.path + "/run/vfioadm" } }

    @Test func aDryRunPrintsTheExactWritesAndTouchesNothing() throws {
        let tree = try CommandTests.host()
        let result = run(tree, ["claim", "03:01.0", "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        let root = tree.root.path + "/sys/bus/pci"
        #expect(result.stdout == """
            group 2: plan, nothing written (--dry-run)
              0000:02:00.0  stays (bridge, no driver)
              0000:03:01.0  stays on vfio-pci
              0000:03:02.0  nvme -> vfio-pci
              plan  echo vfio-pci > \(root)/devices/0000:03:02.0/driver_override
              plan  echo 0000:03:02.0 > \(root)/drivers/nvme/unbind
              plan  echo 0000:03:02.0 > \(root)/drivers_probe

            """)
        #expect(!FileManager.default.fileExists(atPath: stateDirectory(tree)))
    }

    @Test func aDryRunOfAnUnassignableGroupExitsTwoEvenWithForce() throws {
        let tree = try CommandTests.host()
        let result = run(tree, ["claim", "3", "--dry-run", "--force", "--json"])
        #expect(result.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let group = try #require((object["groups"] as? [[String: Any]])?.first)
        #expect(group["result"] as? String == "refused")
        let hazard = try #require((group["hazards"] as? [[String: Any]])?.first)
        #expect(hazard["kind"] as? String == "direct-region")
        #expect(hazard["overridable"] as? Bool == false)
    }

    @Test(arguments: [
        (["claim"], "Missing expected argument '<target> ...'"),
        (["claim", "../2"], "\"../2\" is not an IOMMU group number, a PCI address"),
        (["claim", "7"], "no IOMMU group 7"),
        (["claim", "0000:09:00.0"], "no PCI device 0000:09:00.0"),
        (["claim", "2", "--driver", "nvme"], "--driver \"nvme\" is not vfio-pci"),
        (["claim", "2", "--owner", "x:y:z"], "--owner \"x:y:z\" must be USER or USER:GROUP"),
        (["claim", "2", "--owner", "vfioadm-no-such-user"], "no user vfioadm-no-such-user"),
    ])
    func usageErrorsExit64WithTheReason(_ arguments: [String], _ message: String) throws {
        let tree = try CommandTests.host()
        let result = run(tree, arguments)
        #expect(result.status == 64, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stateDirectory(tree)))
    }

    @Test(arguments: ["relative/dir", "/run/../etc", ""])
    func aStateDirectoryThatIsNotAnAbsolutePathIsAUsageError(_ path: String) throws {
        let tree = try CommandTests.host()
        let result = VFIOAdm.run(arguments: ["--sysfs-root", tree.root.path, "release", "2", "--state-dir", path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--state-dir \(path.debugDescription) must be an absolute path without '..'"))
    }

    @Test func aDeviceWithoutAGroupOnAHostWithGroupsExits69() throws {
        let tree = try CommandTests.host()
        try tree.add(.init(address: "0000:07:00.0"))
        let result = run(tree, ["claim", "07:00.0", "--json"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("has no iommu_group link"))
    }

    @Test func statusWithNothingHeldSaysSoAndExitsZero() throws {
        let tree = try CommandTests.host()
        let result = run(tree, ["status"])
        #expect(result.status == 0)
        #expect(result.stdout == "vfioadm holds no groups (no journal in \(stateDirectory(tree)))\n")
    }
}

/// apply and the desired state through the command layer (dry runs: the writes
/// themselves are proven in VFIOClaimTests and in the guest).
@Suite struct ApplyCommandTests {
    private func run(_ tree: SysfsTree, _ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        VFIOAdm.run(arguments: ["--sysfs-root", tree.root.path] + arguments
            + ["--state-dir", tree.root.path + "/run/vfioadm", "--dev-root", tree.root.path,
               "--config-dir", tree.root.path + "/etc/vfioadm"])
    }

    private func entry(_ tree: SysfsTree, _ text: String, name: String = "0000:01:00.0") throws {
        try tree.write("etc/vfioadm/claims/\(name).conf", text)
    }

    @Test func aDryRunOfApplyReportsWhatItWouldClaimAndStatusSaysItIsNotHeld() throws {
        let tree = try CommandTests.host()
        try tree.addDriver("vfio-pci")
        try entry(tree, "driver vfio-pci\ndevice 0000:01:00.0 1234:11e8 1af4:1100\n")
        let result = run(tree, ["apply", "--dry-run", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["changed"] as? Bool == true)
        let group = try #require((object["groups"] as? [[String: Any]])?.first)
        #expect(group["action"] as? String == "claimed")
        #expect(group["entry"] as? String == "0000:01:00.0")
        #expect((group["writes"] as? [[String: Any]])?.count == 2)
        #expect(!FileManager.default.fileExists(atPath: tree.root.path + "/run/vfioadm"))

        let status = run(tree, ["status"])
        #expect(status.status == 2)
        #expect(status.stdout.contains("desired 0000:01:00.0 (\(tree.root.path)/etc/vfioadm/claims/0000:01:00.0.conf): "
            + "NOT HELD, group 1"))
        #expect(status.stdout.contains("drift: not held: run vfioadm apply"))
    }

    @Test func aMalformedEntryIsAUsageErrorNamingTheFileAndLine() throws {
        let tree = try CommandTests.host()
        try entry(tree, "driver vfio-pci\ndevice 0000:01:00.0 1234:11e8\n")
        for command in [["apply", "--dry-run"], ["status"]] {
            let result = run(tree, command)
            #expect(result.status == 64, "\(command)")
            #expect(result.stderr.contains("\(tree.root.path)/etc/vfioadm/claims/0000:01:00.0.conf:2: expected 'device"))
        }
    }

    @Test func anEntryForAnotherDeviceIsSkippedWithExitTwo() throws {
        let tree = try CommandTests.host()
        try entry(tree, "driver vfio-pci\ndevice 0000:01:00.0 8086:10d3 1af4:1100\n")
        let result = run(tree, ["apply", "--dry-run"])
        #expect(result.status == 2)
        #expect(result.stdout.hasPrefix("entry 0000:01:00.0 (group 1): skipped: 0000:01:00.0 is now 1234:11e8 "
            + "(subsystem 1af4:1100), not 8086:10d3 (subsystem 1af4:1100) as recorded"))
    }
}
