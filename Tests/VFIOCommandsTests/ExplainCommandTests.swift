import Foundation
import SysfsTestSupport
import Testing
@testable import VFIOCommands

/// `vfioadm explain` on the captured guest trees and hand-built ones: exit
/// statuses, the JSON schema, 80-column text.
@Suite struct ExplainCommandTests {
    static func fixture(_ topology: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(topology)").path
    }

    private func run(_ topology: String, _ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        VFIOAdm.run(arguments: ["--sysfs-root", Self.fixture(topology), "explain"] + arguments)
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theBridgeGroupInJSON() throws {
        let result = run("intel", ["0000:03:02.0", "--json"])
        #expect(result.status == 0)
        let report = try json(result.stdout)
        #expect(report["schemaVersion"] as? Int == 1)
        #expect(report["target"] as? String == "0000:03:02.0")
        #expect(report["group"] as? Int == 9)
        let check = try #require(report["crossCheck"] as? [String: Any])
        #expect(check["status"] as? String == "match")
        #expect(check["kernel"] as? [String] == ["0000:02:00.0", "0000:03:01.0", "0000:03:02.0"])
        let members = try #require(report["members"] as? [[String: Any]])
        let nvme = try #require(members.last)
        #expect(nvme["kind"] as? String == "pcie-endpoint")
        #expect(nvme["firstBreak"] as? String == "0000:02:00.0")
        #expect((nvme["config"] as? [String: Any])?["size"] as? Int == 256)
        let path = try #require(nvme["path"] as? [[String: Any]])
        #expect(path.compactMap { $0["kind"] as? String } == ["pcie-to-pci-bridge", "root-port"])
        #expect(path.first?["requesterID"] as? String == "03:00.0")
        #expect(path.first?["aliases"] as? Bool == true)
        let rootPortACS = try #require(path.last?["acs"] as? [String: Any])
        #expect(rootPortACS["offset"] as? String == "0x148")
        #expect(rootPortACS["implemented"] as? [String] == ["SV", "TB", "RR", "CR", "UF", "DT"])
        #expect(rootPortACS["enabled"] as? [String] == ["SV", "RR", "CR", "UF"])
        #expect(rootPortACS["isolates"] as? Bool == true)
        let reasons = try #require(nvme["reasons"] as? [[String: Any]])
        #expect(reasons.compactMap { $0["code"] as? String } == ["bridge-alias"])
        let split = try #require(report["split"] as? [[String: Any]])
        #expect(split.compactMap { $0["code"] as? String } == ["bridge-alias"])
    }

    @Test(arguments: ["intel", "amd", "virtio"])
    func everyGroupsTextFitsIn80Columns(topology: String) throws {
        let groups = try FileManager.default.contentsOfDirectory(atPath: Self.fixture(topology) + "/sys/kernel/iommu_groups")
        #expect(!groups.isEmpty)
        for group in groups {
            let result = run(topology, [group])
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("group \(group): "))
            #expect(result.stdout.contains("what would split it:"))
            let long = result.stdout.split(separator: "\n").filter { $0.count > 80 }
            #expect(long.isEmpty, "group \(group): \(long)")
        }
    }

    @Test func theICH9GroupSaysMultifunctionAndNamesTheOverrideAsOutOfTree() {
        let result = run("intel", ["7"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("rules vs kernel: match"))
        #expect(result.stdout.contains("a function of multifunction slot 0000:00:1f that is not isolated"))
        let text = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("pcie_acs_override=: it is an out-of-tree kernel patch"))
    }

    @Test func anUngroupedVirtioDeviceIsExplainedWithExitZero() throws {
        let result = run("virtio", ["03:01.0", "--json"])
        #expect(result.status == 0)
        let report = try json(result.stdout)
        #expect(report["group"] == nil)
        let check = try #require(report["crossCheck"] as? [String: Any])
        #expect(check["status"] as? String == "mismatch")
        #expect(check["ungrouped"] as? [String] == ["0000:03:01.0", "0000:03:02.0"])
        #expect((check["elsewhere"] as? [[String: Any]])?.first?["group"] as? Int == 3)
    }

    @Test func noIOMMUExits69WithTheFix() throws {
        let result = run("noiommu", ["0000:00:05.0", "--json"])
        #expect(result.status == 69)
        #expect(result.stdout.isEmpty)
        let error = try #require(try json(result.stderr)["error"] as? [String: Any])
        #expect(error["code"] as? String == "no-iommu")
        #expect((error["message"] as? String)?.contains("intel_iommu=on") == true)
        #expect(run("noiommu", ["4"]).status == 69)
    }

    @Test(arguments: [
        (["42"], "no-such-group"),
        (["0000:09:00.0"], "no-such-device"),
        (["../9"], "usage"),
        (["9", "10"], "usage"),
        ([], "usage"),
    ])
    func badTargetsAreUsageErrors(arguments: [String], code: String) throws {
        let result = run("intel", arguments + ["--json"])
        #expect(result.status == 64)
        let error = try #require(try json(result.stderr)["error"] as? [String: Any])
        #expect(error["code"] as? String == code)
    }

    @Test func aNonRootReadIsReportedInTheText() throws {
        let tree = try SysfsTree()
        try tree.group(1)
        try tree.add(.init(address: "0000:00:1f.0", headerType: 0x80, group: 1))
        try tree.add(.init(address: "0000:00:1f.3", group: 1))
        let result = VFIOAdm.run(arguments: ["--sysfs-root", tree.root.path, "explain", "1"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("limitation: only the first 64 bytes of config space could be read"))
    }
}
