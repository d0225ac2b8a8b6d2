import Foundation
import SysfsTestSupport
import Testing
@testable import VFIOCommands

/// claim, release and status through the command layer, on hand-built trees;
/// the writes themselves are proven in VFIOClaimTests and in the guest.
@Suite struct ClaimCommandTests {
    private func run(_ tree: SysfsTree, _ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        VFIOAdm.run(arguments: ["--sysfs-root", tree.root.path] + arguments
            + ["--state-dir", tree.root.path + "/run/vfioadm", "--dev-root", tree.root.path])
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
