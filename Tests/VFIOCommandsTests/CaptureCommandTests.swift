import Foundation
import Testing
import VFIOCore
@testable import VFIOCommands
import VFIOHost

/// `vfioadm capture` of the captured guest trees, and reading the bundle back
/// through `--sysfs-root`: every answer equals the tree's own, and bundles
/// that would lead out of themselves are refused and leave nothing behind.
@Suite(.serialized) final class CaptureCommandTests {
    static let topologies = ["intel", "virtio", "amd", "noiommu", "intel-off"]
    let scratch = FileManager.default.temporaryDirectory.path + "/vfioadm-capture-test-\(UUID().uuidString)"

    init() throws {
        try FileManager.default.createDirectory(atPath: scratch + "/dev", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: scratch) }

    /// The commands the bundle must answer as its tree did; doctor's nodes come from an empty folder on both sides.
    private func commands(_ root: String) throws -> [[String]] {
        let groups = (try? FileManager.default.contentsOfDirectory(atPath: root + "/sys/kernel/iommu_groups")) ?? []
        let device = try #require(try FileManager.default.contentsOfDirectory(atPath: root + "/sys/bus/pci/devices").min())
        return [["list"], ["list", "--json"], ["list", "--wide", "--json"], ["doctor", "--dev-root", scratch + "/dev", "--json"]]
            + [["check"] + groups + [device], ["check", device, "--json"], ["explain", device]]
            + groups.sorted().map { ["explain", $0, "--json"] }
    }

    /// The answer with the root it read taken out of its paths.
    private func answer(_ root: String, _ command: [String]) -> (Int32, String, String) {
        let result = VFIOAdm.run(arguments: ["--sysfs-root", root] + command)
        return (result.status, result.stdout.replacingOccurrences(of: root, with: ""),
                result.stderr.replacingOccurrences(of: root, with: ""))
    }

    private func capture(_ root: String, to bundle: String) throws -> [String: Any] {
        let result = VFIOAdm.run(arguments: ["--sysfs-root", root, "capture", bundle, "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// What is left in a private temporary folder after opening `bundle` there (and removing it when it opened).
    private func leftovers(opening bundle: String) throws -> (opened: Bool, left: [String]) {
        let temporary = scratch + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let opened = OpenedBundle.open(bundle, temporaryDirectory: temporary)
        if case .success(let bundle) = opened { bundle.remove() }
        return ((try? opened.get()) != nil, try FileManager.default.contentsOfDirectory(atPath: temporary))
    }

    @Test(arguments: topologies)
    func theBundleAnswersAsTheTree(topology: String) throws {
        let tree = DoctorCommandTests.fixture(topology)
        let bundle = scratch + "/\(topology).tar.gz"
        let report = try capture(tree, to: bundle)
        #expect(report["file"] as? String == bundle)
        #expect((report["bytes"] as? Int) == (try FileManager.default.attributesOfItem(atPath: bundle)[.size] as? Int))
        #expect((report["files"] as? Int ?? 0) > 0)
        for command in try commands(tree) {
            let live = answer(tree, command)
            let read = answer(bundle, command)
            #expect(read.0 == live.0, "\(command)")
            #expect(read.1 == live.1, "\(command)")
            #expect(read.2 == live.2, "\(command)")
        }
        let opened = try leftovers(opening: bundle)
        #expect(opened.opened)
        #expect(opened.left.isEmpty)
    }

    @Test func aBundleMissingAFileAnswersDifferently() throws {
        let tree = DoctorCommandTests.fixture("intel")
        _ = try capture(tree, to: scratch + "/intel.tar.gz")
        let unpacked = scratch + "/unpacked"
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        try tar(["--extract", "--gzip", "--file", scratch + "/intel.tar.gz", "--directory", unpacked])
        #expect(answer(unpacked, ["list", "--json"]) == answer(tree, ["list", "--json"]))
        let group = try FileManager.default.contentsOfDirectory(atPath: unpacked + "/sys/kernel/iommu_groups").sorted()[0]
        try FileManager.default.removeItem(atPath: unpacked + "/sys/kernel/iommu_groups/\(group)/reserved_regions")
        #expect(answer(unpacked, ["list", "--json"]) != answer(tree, ["list", "--json"]))
    }

    @Test func theManifestSaysWhatWasReadAndFromWhere() throws {
        let tree = DoctorCommandTests.fixture("amd")
        _ = try capture(tree, to: scratch + "/amd.tar.gz")
        try tar(["--extract", "--gzip", "--file", scratch + "/amd.tar.gz", "--directory", scratch])
        let data = try #require(FileManager.default.contents(atPath: scratch + "/manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(manifest["vfioadmVersion"] as? String == VFIOAdmVersion.current)
        #expect(manifest["sysfsRoot"] as? String == tree)
        let reads = try #require(manifest["reads"] as? [[String: String]])
        #expect(reads.contains { $0["path"] == tree + "/proc/cmdline" && $0["use"] == "contents" })
        #expect(reads.contains { $0["path"] == tree + "/sys/kernel/iommu_groups" && $0["use"] == "listing" })
        #expect(FileManager.default.fileExists(atPath: scratch + "/proc/cmdline"))
    }

    /// Bundles made by hand that lead out, or hold a device node or FIFO.
    @Test(arguments: ["absolute", "escaping", "fifo", "notgzip"])
    func aBundleThatLeadsOutIsRefused(kind: String) throws {
        let content = scratch + "/content"
        try FileManager.default.createDirectory(atPath: content + "/sys/bus/pci/devices", withIntermediateDirectories: true)
        switch kind {
        case "absolute": try FileManager.default.createSymbolicLink(atPath: content + "/sys/bus/pci/devices/x", withDestinationPath: "/etc")
        case "escaping": try FileManager.default.createSymbolicLink(atPath: content + "/sys/x", withDestinationPath: "../../..")
        case "fifo": #expect(mkfifo(content + "/sys/fifo", 0o600) == 0)
        default: break
        }
        let bundle = scratch + "/bad.tar.gz"
        if kind == "notgzip" {
            #expect(FileManager.default.createFile(atPath: bundle, contents: Data("not a bundle".utf8)))
        } else {
            try tar(["--create", "--gzip", "--file", bundle, "--directory", content, "."])
        }
        let result = VFIOAdm.run(arguments: ["--sysfs-root", bundle, "list", "--json"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(bundle))
        #expect(result.stderr.contains("bad-bundle"))
        let opened = try leftovers(opening: bundle)
        #expect(!opened.opened)
        #expect(opened.left.isEmpty)
    }

    @Test func aCommandThatWritesRefusesABundle() throws {
        let bundle = scratch + "/intel.tar.gz"
        _ = try capture(DoctorCommandTests.fixture("intel"), to: bundle)
        let result = VFIOAdm.run(arguments: ["--sysfs-root", bundle, "claim", "1", "--dry-run"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("read only by list, check, explain, doctor and capture"))
    }

    @Test(arguments: [["capture", "out.zip"], ["capture", ".tar.gz"], ["capture"]])
    func aBadFileNameIsAUsageError(arguments: [String]) {
        let result = VFIOAdm.run(arguments: ["--sysfs-root", DoctorCommandTests.fixture("intel")] + arguments)
        #expect(result.status == 64)
    }

    @Test func aMissingFolderIsNamedWithItsErrno() {
        let result = VFIOAdm.run(arguments: ["--sysfs-root", DoctorCommandTests.fixture("intel"), "capture",
                                             scratch + "/no/such/folder/x.tar.gz", "--json"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("\"errno\" : 2"))
        #expect(result.stderr.contains(scratch + "/no/such/folder"))
    }

    private func tar(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/tar")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
    }
}
