import Foundation
import Testing
@testable import VFIOCommands

/// Every report command's text and JSON over every captured fixture, against
/// the output recorded in `Tests/Golden/TOPOLOGY.txt`: a change of any byte of
/// any report fails here. After an intended change of output, rerun with
/// `VFIOADM_UPDATE_GOLDEN=1` and review the diff of the recorded files.
@Suite struct FixtureOutputTests {
    static let topologies = ["intel", "virtio", "amd", "noiommu", "intel-off"]
    private static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// The command lines run over one fixture: whole-host reports, then one per group and per device.
    /// `doctor` and `info` look for device nodes under the fixture too (it has none), not in this
    /// host's `/dev`; doctor's `memlock` check reads this process's limit and capabilities, recorded
    /// as root, as the tests run in CI.
    static func commands(_ root: String) throws -> [[String]] {
        let groupDirectory = root + "/sys/kernel/iommu_groups"  // absent without an IOMMU
        let groups = ((try? FileManager.default.contentsOfDirectory(atPath: groupDirectory)) ?? [])
            .compactMap(Int.init).sorted().map(String.init)
        let devices = try FileManager.default.contentsOfDirectory(atPath: root + "/sys/bus/pci/devices").sorted()
        var commands: [[String]] = [["list"], ["list", "--wide"], ["list", "--json"], ["list", "--wide", "--json"],
                                    ["doctor", "--dev-root", root], ["doctor", "--json", "--dev-root", root]]
        if !groups.isEmpty {
            commands += [["check"] + groups, ["check", "--json"] + groups]
        }
        for group in groups { commands += [["explain", group], ["explain", group, "--json"]] }
        for device in devices {
            commands += [["info", device, "--dev-root", root], ["info", device, "--json", "--dev-root", root]]
        }
        return commands
    }

    /// Each command's exit status, stdout and stderr, with the fixture's path spelled `$ROOT`.
    static func transcript(_ topology: String) throws -> String {
        let root = tests.appendingPathComponent("Fixtures/\(topology)").path
        return try commands(root).map { arguments in
            let result = VFIOAdm.run(arguments: ["--sysfs-root", root] + arguments)
            let text = "$ vfioadm \(arguments.joined(separator: " "))\nexit \(result.status)\n"
                + "--- stdout\n\(result.stdout)--- stderr\n\(result.stderr)"
            return text.replacingOccurrences(of: root, with: "$ROOT")
        }.joined(separator: "\n")
    }

    @Test(arguments: topologies)
    func outputMatchesTheRecording(_ topology: String) throws {
        let recording = Self.tests.appendingPathComponent("Golden/\(topology).txt")
        let now = try Self.transcript(topology)
        if ProcessInfo.processInfo.environment["VFIOADM_UPDATE_GOLDEN"] == "1" {
            try now.write(to: recording, atomically: true, encoding: .utf8)
        }
        let recorded = try String(contentsOf: recording, encoding: .utf8)
        #expect(now.count > 10_000, "the fixture produced reports")
        guard now != recorded else { return }
        let (a, b) = (now.split(separator: "\n", omittingEmptySubsequences: false),
                      recorded.split(separator: "\n", omittingEmptySubsequences: false))
        let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        let command = a[..<min(first + 1, a.count)].last { $0.hasPrefix("$ vfioadm ") } ?? "?"
        let nowLine = first < a.count ? String(a[first]) : "<end>"
        let recordedLine = first < b.count ? String(b[first]) : "<end>"
        let message = "\(topology): output differs from Tests/Golden/\(topology).txt at line \(first + 1), "
            + "in `\(command)`:\nnow:      \(nowLine)\nrecorded: \(recordedLine)"
        Issue.record(Comment(rawValue: message))
    }
}
