import Foundation
import SysfsTestSupport
import Testing
@testable import VFIOCommands

/// Runs vfioadm's commands on hand-built trees and checks status, stdout and stderr.
@Suite struct CommandTests {
    /// Group 1: a lone edu; group 2: edu + nvme behind a PCIe-to-PCI bridge; group 3: a direct region.
    static func host() throws -> SysfsTree {
        let tree = try SysfsTree()
        try tree.group(1, regions: ["0x00000000fee00000 0x00000000feefffff msi"])
        try tree.group(2)
        try tree.group(3, regions: ["0x00000000bd000000 0x00000000bdffffff direct"])
        try tree.add(.init(address: "0000:01:00.0", group: 1))
        try tree.add(.init(address: "0000:02:00.0", vendor: "0x1b36", device: "0x000e", classCode: "0x060400",
                           headerType: 1, group: 2))
        try tree.add(.init(address: "0000:03:01.0", driver: "vfio-pci", group: 2, vfioDevice: "vfio0"))
        try tree.add(.init(address: "0000:03:02.0", vendor: "0x1b36", device: "0x0010", classCode: "0x010802",
                           driver: "nvme", group: 2))
        try tree.add(.init(address: "0000:00:14.0", classCode: "0x0c0330", driver: "xhci_hcd", group: 3))
        return tree
    }

    private func run(_ tree: SysfsTree, _ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        VFIOAdm.run(arguments: ["--sysfs-root", tree.root.path] + arguments)
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func checkExitsZeroForAViableGroup() throws {
        let tree = try Self.host()
        let result = run(tree, ["check", "1"])
        #expect(result.status == 0)
        #expect(result.stdout == "group 1: viable\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func checkNamesTheBlockingDeviceAndExitsTwo() throws {
        let tree = try Self.host()
        let result = run(tree, ["check", "03:01.0"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("0000:03:01.0 (group 2): not-viable"))
        #expect(result.stdout.contains("0000:03:02.0 is bound to nvme, which does kernel DMA"))
    }

    @Test func checkReportsEveryTargetInJSON() throws {
        let tree = try Self.host()
        let result = run(tree, ["check", "1", "2", "0000:00:14.0", "--json"])
        #expect(result.status == 2)
        let report = try json(result.stdout)
        #expect(report["viable"] as? Bool == false)
        let results = try #require(report["results"] as? [[String: Any]])
        let statuses = results.compactMap { ($0["verdict"] as? [String: Any])?["status"] as? String }
        #expect(statuses == ["viable", "not-viable", "unassignable"])
        #expect(results.compactMap { $0["group"] as? Int } == [1, 2, 3])
    }

    @Test(arguments: [
        (["check", "0000:09:00.0"], "no-such-device", "0000:09:00.0"),
        (["check", "1", "42"], "no-such-group", "42"),
        (["check", "../1"], "usage", "../1"),
        (["check", "0000:03:01.0/../../x"], "usage", "0000:03:01.0/../../x"),
        (["check"], "usage", "group"),
        (["list", "--device", "09:00.0"], "no-such-device", "0000:09:00.0"),
        (["list", "--group", "x"], "usage", "\"x\""),
        (["list", "--driver", "../nvme"], "usage", "../nvme"),
        (["list", "--class", "zz"], "usage", "zz"),
        (["frobnicate"], "usage", "frobnicate"),
    ])
    func badInputIsAUsageErrorInJSONOnStderr(arguments: [String], code: String, named: String) throws {
        let tree = try Self.host()
        let result = run(tree, arguments + ["--json"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        let error = try #require(try json(result.stderr)["error"] as? [String: Any])
        #expect(error["code"] as? String == code)
        #expect(error["exitStatus"] as? Int == 64)
        #expect((error["message"] as? String)?.contains(named) == true)
    }

    @Test func aRootWithoutSysfsIsAUsageError() {
        let result = VFIOAdm.run(arguments: ["--sysfs-root", "/nonexistent/tree", "list"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("/nonexistent/tree"))
    }

    @Test func listShowsGroupsDevicesRegionsAndVerdicts() throws {
        let tree = try Self.host()
        let result = run(tree, ["list"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("group 1  DMA  viable"))
        #expect(lines.contains("group 2  DMA  not-viable"))
        #expect(lines.contains("group 3  DMA  unassignable"))
        #expect(lines.contains("  reserved 0xbd000000-0xbdffffff direct"))
        #expect(lines.contains { $0.hasPrefix("  0000:03:02.0  1b36:0010  nvme ") })
        #expect(lines.allSatisfy { $0.count <= 80 || $0.hasPrefix("  blocked:") || $0.hasPrefix("    fix:") })
    }

    @Test func listFiltersByDriverClassGroupAndDevice() throws {
        let tree = try Self.host()
        func groups(_ filters: [String]) throws -> [Int] {
            let result = run(tree, ["list", "--json"] + filters)
            #expect(result.status == 0)
            return try #require(try json(result.stdout)["groups"] as? [[String: Any]]).compactMap { $0["group"] as? Int }
        }
        #expect(try groups([]) == [1, 2, 3])
        #expect(try groups(["--driver", "nvme"]) == [2])
        #expect(try groups(["--driver", "none"]) == [1, 2])
        #expect(try groups(["--class", "0c03"]) == [3])
        #expect(try groups(["--class", "0x01"]) == [2])
        #expect(try groups(["--group", "3", "--group", "1"]) == [1, 3])
        #expect(try groups(["--device", "03:02.0"]) == [2])
        #expect(try groups(["--driver", "nvme", "--class", "0c"]) == [])
    }

    @Test func listJSONCarriesTheDeviceModel() throws {
        let tree = try Self.host()
        let report = try json(run(tree, ["list", "--json", "--group", "2"]).stdout)
        #expect(report["schemaVersion"] as? Int == 1)
        #expect(report["iommu"] as? Bool == true)
        let group = try #require((report["groups"] as? [[String: Any]])?.first)
        let devices = try #require(group["devices"] as? [[String: Any]])
        #expect(devices.compactMap { $0["address"] as? String } == ["0000:02:00.0", "0000:03:01.0", "0000:03:02.0"])
        #expect(devices[0]["bridge"] as? Bool == true)
        #expect(devices[1]["vfioDevice"] as? String == "vfio0")
        #expect(devices[2]["driver"] as? String == "nvme")
        #expect((devices[2]["class"] as? [String: Any])?["id"] as? String == "0x010802")
        let reasons = try #require((group["verdict"] as? [String: Any])?["reasons"] as? [[String: Any]])
        #expect(reasons.compactMap { $0["device"] as? String } == ["0000:03:02.0"])
    }

    @Test func aHostWithoutGroupsExits69WithTheFix() throws {
        let tree = try SysfsTree()
        try tree.add(.init(address: "0000:00:02.0", driver: "e1000e"))
        let list = run(tree, ["list"])
        #expect(list.status == 69)
        #expect(list.stdout.contains("intel_iommu=on"))
        let check = run(tree, ["check", "00:02.0", "--json"])
        #expect(check.status == 69)
        #expect(check.stdout.contains("\"no-iommu\""))
    }

    @Test func versionIsPrintedAndExitsZero() {
        let result = VFIOAdm.run(arguments: ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("0."))
    }
}

@Suite struct HelpTests {
    @Test(arguments: [["--help"], ["help"], ["list", "--help"], ["help", "check"], ["check", "-h"], []])
    func helpNamesTheCommandAskedAbout(arguments: [String]) {
        let result = VFIOAdm.run(arguments: arguments)
        #expect(result.status == 0)
        let asked = arguments.first { !$0.hasPrefix("-") && $0 != "help" } ?? arguments.dropFirst().first ?? ""
        let usage = "USAGE: vfioadm" + (["list", "check"].contains(asked) ? " \(asked)" : "")
        #expect(result.stdout.contains(usage), "\(arguments) printed: \(result.stdout.prefix(200))")
        #expect(!result.stdout.contains("Show subcommand help information.\n\nUSAGE: vfioadm help"))
    }
}
