import Foundation
import Testing
import LinuxSystem
import SysfsTestSupport

@Suite struct AttributeFileTests {
    /// More names than one 16 KiB getdents64 buffer holds, of every length up
    /// to 200 bytes: each must come back exactly once, without `.` and `..`.
    @Test func listsEveryNameAcrossSeveralGetdentsCalls() throws {
        let tree = try SysfsTree()
        var expected: Set<String> = []
        for index in 0..<1500 {
            let name = "entry-\(index)-" + String(repeating: "x", count: index % 180)
            expected.insert(name)
            try tree.write("dir/" + name, "")
        }
        try tree.link("dir/link-to-nowhere", to: "missing")
        expected.insert("link-to-nowhere")
        let listed = try AttributeFile.list(tree.root.path + "/dir").get()
        #expect(listed.count == expected.count)
        #expect(Set(listed) == expected)
    }

    @Test func listsAnEmptyDirectory() throws {
        let tree = try SysfsTree()
        try FileManager.default.createDirectory(atPath: tree.root.path + "/empty", withIntermediateDirectories: true)
        #expect(try AttributeFile.list(tree.root.path + "/empty").get() == [])
    }

    @Test func failsWithTheErrnoOfTheDirectory() throws {
        let tree = try SysfsTree()
        try tree.write("file", "x")
        #expect(errno(of: AttributeFile.list(tree.root.path + "/missing")) == ENOENT)
        #expect(errno(of: AttributeFile.list(tree.root.path + "/file")) == ENOTDIR)
    }

    private func errno(of result: Result<[String], Errno>) -> Int32? {
        if case .failure(let failure) = result { return failure.rawValue }
        return nil
    }
}
