import Foundation
import LinuxSystem
import SysfsTestSupport
import Testing
import VFIOCore
@testable import ReportOutput
@testable import VFIOCommands
@testable import VFIOSysfs

/// `ReportJSONEncoder` must print exactly what Foundation's `JSONEncoder` prints
/// with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`: every
/// command's report on the captured fixtures and hand-built trees, and values
/// built to hit each rule (escapes, key order, empty containers, numbers).
@Suite struct ReportJSONEncoderTests {
    /// Foundation's text, or nil when it refuses the value.
    static func foundation(_ value: any Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func ours(_ value: any Encodable) -> String? {
        try? ReportJSONEncoder.encode(value)
    }

    private func expectSame(_ value: any Encodable, _ comment: Comment? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let expected = Self.foundation(value)
        try #require(expected != nil, "Foundation refused it", sourceLocation: sourceLocation)
        #expect(Self.ours(value) == expected, comment, sourceLocation: sourceLocation)
    }

    // MARK: Every command's report

    static let fixtures = ["intel", "virtio", "amd", "noiommu"]

    static func fixturePath(_ topology: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(topology)").path
    }

    /// What one invocation reports as JSON: the report, or the error object.
    private func reportValue(_ arguments: [String]) throws -> any Encodable {
        let parsed = try VFIOAdm.parseAsRoot(arguments + ["--json"])
        let command = try #require(parsed as? any ReportingCommand, "\(arguments) is not a report")
        do {
            return try command.report().json
        } catch {
            return ["error": error]
        }
    }

    private func expectSameReport(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        try expectSame(try reportValue(arguments), "vfioadm \(arguments.joined(separator: " "))",
                       sourceLocation: sourceLocation)
    }

    @Test(arguments: fixtures)
    func listCheckAndFiltersOnACapturedTree(topology: String) throws {
        let root = Self.fixturePath(topology)
        let reader = SysfsReader(root: HostRoot(root))
        try expectSameReport(["--sysfs-root", root, "list"])
        try expectSameReport(["--sysfs-root", root, "list", "--driver", "none", "--class", "01"])
        let groups = try reader.groupIDs().get().map(\.description)
        let devices = try reader.deviceAddresses().get().map(\.description)
        for target in groups + devices {
            try expectSameReport(["--sysfs-root", root, "check", target])
            try expectSameReport(["--sysfs-root", root, "list", groups.contains(target) ? "--group" : "--device", target])
        }
        try expectSameReport(["--sysfs-root", root, "check"] + groups + devices)
    }

    @Test(arguments: [
        ["list"], ["check", "1", "2", "3"], ["check", "0000:09:00.0"], ["list", "--device", "09:00.0"],
        ["probe", "03:02.0"], ["probe", "0000:00:14.0"], ["info", "03:02.0"],
        ["claim", "03:01.0", "--dry-run"], ["claim", "3", "--dry-run", "--force"], ["claim", "1", "2", "--dry-run"],
        ["status"], ["release", "2"],
    ])
    func everyCommandOnAHandBuiltTree(arguments: [String]) throws {
        let tree = try CommandTests.host()
        let root = tree.root.path
        let nodes = ["probe", "info"].contains(arguments[0]) ? ["--dev-root", root] : []
        let state = ["claim", "status", "release"].contains(arguments[0])
            ? ["--state-dir", root + "/run/vfioadm", "--dev-root", root] : []
        try expectSameReport(["--sysfs-root", root] + arguments + nodes + state)
    }

    @Test func probeAndInfoReportsWithEveryField() throws {
        try expectSame(try ProbeCommandTests.sampleReport())
        try expectSame(try ProbeCommandTests.sampleInfoReport())
    }

    @Test func aTreeWithSRIOVProblemsAndNoGroups() throws {
        let tree = try SysfsTree()
        try tree.group(7, regions: ["0x00000000fee00000 0x00000000feefffff msi", "not a region"])
        try tree.add(.init(address: "0000:81:00.0", driver: "ice", group: 7, sriovNumVFs: 2))
        try tree.add(.init(address: "0000:81:00.1", driver: "vfio-pci", group: 7, physfn: "0000:81:00.0",
                           vfioDevice: "vfio3", omit: ["revision", "numa_node"]))
        try tree.add(.init(address: "0000:82:00.0", vendor: "0xzz", driverOverride: "vfio-pci"))
        try expectSameReport(["--sysfs-root", tree.root.path, "list"])
        try expectSameReport(["--sysfs-root", tree.root.path, "check", "7", "0000:82:00.0"])
        let bare = try SysfsTree()
        try bare.add(.init(address: "0000:00:02.0"))
        try expectSameReport(["--sysfs-root", bare.root.path, "list"])
    }

    @Test func usageErrors() throws {
        try expectSame(["error": CommandFailure(.usage, code: "usage", "no \"such\" \\ thing\n\tat /x/y")])
        try expectSame(["error": CommandFailure.sysfs(AttributeProblem(path: "/sys/a", errno: Errno(rawValue: EACCES)))])
    }

    // MARK: Rules, value by value

    struct Text: Encodable {
        let text: String
        let `optional`: String?
        let list: [String?]
    }

    @Test(arguments: [
        "", "plain", "quote \" backslash \\ slash / end", "\u{0}\u{1}\u{7}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{E}\u{F}",
        "\u{10}\u{1B}\u{1F} \u{7F} del", "grüße, 日本語, 🇩🇪 \u{2028}\u{2029} \u{FEFF}", "e\u{301} vs é",
    ])
    func stringsAndTheirEscapes(text: String) throws {
        try expectSame(text)
        try expectSame(Text(text: text, optional: text, list: [text, nil, "x"]))
        try expectSame(Text(text: text, optional: nil, list: []))
        try expectSame([text: text])
    }

    struct Numbers: Encodable {
        let int: Int
        let int8: Int8
        let int16: Int16
        let int32: Int32
        let int64: Int64
        let uint: UInt
        let uint8: UInt8
        let uint16: UInt16
        let uint32: UInt32
        let uint64: UInt64
        let double: Double
        let float: Float
        let yes: Bool
        let no: Bool
    }

    @Test func integersBoolsAndFloats() throws {
        try expectSame(Numbers(int: .min, int8: .min, int16: .min, int32: .min, int64: .min, uint: .max, uint8: .max,
                               uint16: .max, uint32: .max, uint64: .max, double: 0.1, float: 0.1, yes: true, no: false))
        try expectSame(Numbers(int: 0, int8: 0, int16: -1, int32: 7, int64: .max, uint: 0, uint8: 9, uint16: 10,
                               uint32: 100, uint64: 1_000_000, double: -0.0, float: 1e10, yes: false, no: true))
        for double in [1.0, 1.5, -2.25, 1e-7, 1e21, 1e300, 123_456_789.125, .ulpOfOne, .leastNonzeroMagnitude,
                       .greatestFiniteMagnitude, 0.000_123] {
            try expectSame([double])
            try expectSame(["value": double])
        }
        for float in [Float(1), 0.3, 3.4e38, .leastNonzeroMagnitude, 16_777_216] {
            try expectSame([float])
        }
    }

    @Test func nonConformingFloatsAreRefusedByBoth() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(Self.foundation(["x": value]) == nil)
            #expect(Self.ours(["x": value]) == nil)
        }
    }

    struct Empty: Encodable {
        let array: [Int]
        let strings: [String]
        let objects: [[String: Int]]
        let object: [String: Int]
        let nested: [[Int]]
    }

    @Test func emptyContainersAtEveryDepth() throws {
        try expectSame(Empty(array: [], strings: [], objects: [[:], [:]], object: [:], nested: [[], [1], []]))
        try expectSame([Int]())
        try expectSame([String: Int]())
        try expectSame([[[String]]]([[[]]]))
        try expectSame(Optional<Int>.none)
        try expectSame(["key": Optional<Int>.none])
        try expectSame(NothingInside())
    }

    struct NothingInside: Encodable {
        func encode(to encoder: any Encoder) throws {
            _ = encoder.container(keyedBy: Key.self)
        }
    }

    struct NothingAtAll: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test func aValueThatEncodesNothing() throws {
        #expect(Self.foundation(NothingAtAll()) == nil)
        #expect(Self.ours(NothingAtAll()) == nil)
        try expectSame(["inner": NothingAtAll()])
        try expectSame([NothingAtAll(), NothingAtAll()])
    }

    @Test func keysSortByTheirUTF8Bytes() throws {
        try expectSame(["b": 1, "a": 2, "B": 3, "_": 4, "aa": 5, "a0": 6, "é": 7, "z": 8, "": 9, "Z9": 10, "日": 11,
                        "10": 13, "9": 14, "a b": 15, "a-b": 16])
        try expectSame([1: "one", 10: "ten", 2: "two", -1: "minus"])
    }

    enum Key: String, CodingKey { case zeta, alpha, beta, nested, list, repeated }

    /// Keys written twice, nested containers asked for twice, a super encoder.
    struct Tricky: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode("first", forKey: .repeated)
            try container.encode(1, forKey: .zeta)
            var nested = container.nestedContainer(keyedBy: Key.self, forKey: .nested)
            try nested.encode(true, forKey: .beta)
            var again = container.nestedContainer(keyedBy: Key.self, forKey: .nested)
            try again.encode(false, forKey: .alpha)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode("x")
            var inner = list.nestedContainer(keyedBy: Key.self)
            try inner.encodeNil(forKey: .alpha)
            var innerList = list.nestedUnkeyedContainer()
            try innerList.encode(2.5)
            try container.encode("second", forKey: .repeated)
            var more = encoder.container(keyedBy: Key.self)
            try more.encode([1, 2], forKey: .alpha)
        }
    }

    @Test func repeatedKeysKeepTheLastValueAndContainersContinue() throws {
        try expectSame(Tricky())
        try expectSame([Tricky(), Tricky()])
    }

    /// Encodes through the single-value container, as the ID types do.
    struct Wrapped<T: Encodable>: Encodable {
        let value: T
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(value)
        }
    }

    @Test func singleValuesAndTopLevelFragments() throws {
        try expectSame("top")
        try expectSame(42)
        try expectSame(true)
        try expectSame(Wrapped(value: Wrapped(value: ["a": 1])))
        try expectSame([Wrapped(value: PCIAddress(domain: 0, bus: 3, device: 1, function: 0))])
        try expectSame(IOMMUGroupID(rawValue: 12))
        try expectSame(ReservedRegion.JSON(value: ReservedRegion(start: 0xfee0_0000, end: 0xfeef_ffff, kind: .other("odd \"kind\""))))
    }

    /// A report with a long array of groups, encoded in runs on every core.
    struct Runs: Encodable {
        let groups: [Element]
        let after: [Element]

        struct Element: ConcurrentlyEncodable {
            let index: Int
            let name: String
            let empty: [Int]
            let values: [Int]
        }
    }

    @Test(arguments: [255, 256, 257, 1000, 4099])
    func longArraysEncodedInRuns(count: Int) throws {
        let elements = (0..<count).map { Runs.Element(index: $0, name: "g\($0)\n", empty: [], values: [$0, -$0]) }
        try expectSame(Runs(groups: elements, after: Array(elements.prefix(300))))
        try expectSame(["nested": Runs(groups: elements, after: [])])
    }

    @Test func aBigListReportFromAHandBuiltTree() throws {
        let tree = try SysfsTree()
        for group in 0..<300 {
            try tree.group(group, regions: group % 7 == 0 ? ["0x00000000bd000000 0x00000000bdffffff direct"] : [])
            let address = "0000:" + zeroPaddedHex(group / 32 + 1, 2) + ":" + zeroPaddedHex(group % 32, 2) + ".0"
            try tree.add(.init(address: address, driver: group % 3 == 0 ? "vfio-pci" : "nvme", group: group))
        }
        try expectSameReport(["--sysfs-root", tree.root.path, "list"])
    }
}
