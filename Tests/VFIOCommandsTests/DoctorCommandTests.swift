import Foundation
import Testing
@testable import VFIOCommands

/// `vfioadm doctor` on captured trees: exit status, JSON shape and usage errors.
@Suite struct DoctorCommandTests {
    static func fixture(_ topology: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(topology)").path
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func aFailedCheckExitsTwoAndTheJSONCountsEveryCheck() throws {
        let emptyDev = FileManager.default.temporaryDirectory.path + "/vfioadm-no-dev-\(UUID().uuidString)"
        let result = VFIOAdm.run(arguments: ["--sysfs-root", Self.fixture("intel-off"), "doctor", "--dev-root", emptyDev,
                                             "--json"])
        #expect(result.status == 2)
        #expect(result.stderr.isEmpty)
        let report = try json(result.stdout)
        #expect(report["schemaVersion"] as? Int == 1)
        #expect(report["ok"] as? Bool == false)
        let checks = try #require(report["checks"] as? [[String: Any]])
        let counts = try #require(report["counts"] as? [String: Int])
        #expect(counts.values.reduce(0, +) == checks.count)
        #expect(counts["fail"] == checks.filter { $0["status"] as? String == "fail" }.count)
        let enabled = try #require(checks.first { $0["id"] as? String == "iommu-enabled" })
        #expect(enabled["status"] as? String == "fail")
        #expect((enabled["fix"] as? String)?.contains("intel_iommu=on") == true)
        let evidence = try #require(enabled["evidence"] as? [[String: String]])
        #expect(evidence.contains { $0["source"] == Self.fixture("intel-off") + "/proc/cmdline" })
    }

    @Test func textHasOneStatusLinePerCheckAndATally() throws {
        let emptyDev = FileManager.default.temporaryDirectory.path + "/vfioadm-no-dev-\(UUID().uuidString)"
        let result = VFIOAdm.run(arguments: ["--sysfs-root", Self.fixture("noiommu"), "doctor", "--dev-root", emptyDev])
        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n")
        let statusLines = lines.filter { ["PASS ", "WARN ", "FAIL ", "SKIP "].contains(String($0.prefix(5))) }
        #expect(statusLines.count == 14)
        #expect(statusLines.contains { $0.hasPrefix("WARN  noiommu ") })
        #expect(lines.last?.hasPrefix("doctor: ") == true)
    }

    @Test(arguments: [["doctor", "--memory", "lots"], ["doctor", "--dev-root", ""]])
    func badOptionsAreUsageErrors(arguments: [String]) {
        let result = VFIOAdm.run(arguments: ["--sysfs-root", Self.fixture("intel")] + arguments)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
    }

    @Test func aRootWithoutSysfsIsAUsageError() {
        let result = VFIOAdm.run(arguments: ["--sysfs-root", "/nonexistent-vfioadm", "doctor"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("no sys/bus/pci/devices"))
    }
}
