import Foundation
import SysfsTestSupport
import Testing
@testable import VFIOCommands

/// `net:`, `block:` and `id:` selectors through the commands, on hand-built trees
/// with real symbolic links; the guest checks them against the kernel's own links.
@Suite struct SelectorCommandTests {
    private func host() throws -> SysfsTree {
        let tree = try CommandTests.host()
        try tree.addInterface("eth0", below: "0000:01:00.0", flags: "0x1003")
        try tree.addVirtualInterface("br0", flags: "0x1003", bridge: true)
        try tree.addDisk("nvme0n1", below: "0000:03:02.0", number: "259:0", partitions: [("nvme0n1p1", "259:1")])
        try tree.write("sys/devices/virtual/block/dm-0/dev", "253:0\n")
        try tree.link("sys/devices/virtual/block/dm-0/slaves/nvme0n1p1",
                      to: "../../../../pci0000:00/0000:03:02.0/nvme/nvme0/nvme0n1/nvme0n1p1")
        try tree.link("sys/class/block/dm-0", to: "../../devices/virtual/block/dm-0")
        return tree
    }

    private func run(_ tree: SysfsTree, _ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        VFIOAdm.run(arguments: ["--sysfs-root", tree.root.path] + arguments)
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: [
        ("net:eth0", "0000:01:00.0"), ("block:nvme0n1", "0000:03:02.0"), ("block:nvme0n1p1", "0000:03:02.0"),
        ("block:dm-0", "0000:03:02.0"),
    ])
    func aSelectorNamesTheFunctionBehindIt(_ selector: String, _ address: String) throws {
        let tree = try host()
        let text = run(tree, ["check", selector])
        #expect(text.stderr == "vfioadm: \(selector) is \(address)\n")
        #expect(text.stdout.hasPrefix("\(address) (group "))
        let result = run(tree, ["check", selector, "--json"])
        let object = try json(result.stdout)
        let selectors = try #require(object["selectors"] as? [[String: Any]])
        #expect(selectors.first?["selector"] as? String == selector)
        #expect(selectors.first?["devices"] as? [String] == [address])
        #expect((object["results"] as? [[String: Any]])?.first?["target"] as? String == address)
    }

    @Test func anInterfaceWithoutAPCIFunctionIsAUsageErrorWithTheCandidates() throws {
        let result = run(try host(), ["check", "net:br0"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("network interface br0 is not on a PCI function"))
        #expect(result.stderr.contains("candidates: eth0 (0000:01:00.0)"))
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: ["net:eth9", "block:sdz", "id:8086:1234"])
    func anUnknownSelectorIsAUsageError(_ selector: String) throws {
        let result = run(try host(), ["check", selector, "--json"])
        #expect(result.status == 64)
        let error = try json(result.stderr)["error"] as? [String: Any]
        #expect(error?["code"] as? String == "unknown-selector")
        #expect((error?["message"] as? String)?.hasPrefix(selector + ": ") == true)
    }

    @Test(arguments: ["net:", "net:../eth0", "net:a/b", "net:abcdefghijklmnop", "block:..", "id:1234:11e", "id:12345:11e8",
                      "id:zzzz:11e8", "pci:0000:01:00.0"])
    func aMalformedSelectorIsRejectedBeforeAnythingIsRead(_ selector: String) {
        let result = VFIOAdm.run(arguments: ["check", selector, "--sysfs-root", "/nonexistent"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("is not an IOMMU group number, a PCI address"))
    }

    @Test func anIDSelectorNamingSeveralFunctionsNeedsAllToClaim() throws {
        let tree = try host()
        let ambiguous = run(tree, ["claim", "id:1234:11e8", "--dry-run", "--state-dir", tree.root.path + "/run/x"])
        #expect(ambiguous.status == 64)
        // The hand-built xHCI at 00:14.0 has the edu's IDs too.
        #expect(ambiguous.stderr.contains("id:1234:11e8 names 3 PCI functions; pass --all"))
        #expect(ambiguous.stderr.contains("candidates: 0000:00:14.0, 0000:01:00.0, 0000:03:01.0"))
        try tree.addDriver("vfio-pci")
        let all = run(tree, ["claim", "id:1234:11e8", "--all", "--dry-run", "--json", "--state-dir", tree.root.path + "/run/x"])
        let groups = (try json(all.stdout)["groups"] as? [[String: Any]] ?? []).compactMap { $0["group"] as? Int }
        #expect(groups == [3, 1, 2], "\(all.stdout)\(all.stderr)")
        #expect(run(tree, ["explain", "id:1234:11e8"]).status == 64)
        #expect(run(tree, ["check", "id:1234:11e8"]).stderr
            == "vfioadm: id:1234:11e8 is 0000:00:14.0, 0000:01:00.0, 0000:03:01.0\n")
    }
}

/// `nodes`: the nodes of held devices and the formats for QEMU and libvirt.
@Suite struct NodesCommandTests {
    /// Group 1 held: its edu on vfio-pci with cdev vfio3, the nodes as files under the tree.
    private func host() throws -> SysfsTree {
        let tree = try CommandTests.host()
        try tree.setDriver("0000:01:00.0", "vfio-pci")
        try tree.write("sys/devices/pci0000:00/0000:01:00.0/vfio-dev/vfio3/dev", "511:3\n")
        for node in ["dev/vfio/1", "dev/vfio/vfio", "dev/vfio/devices/vfio3", "dev/iommu"] { try tree.write(node, "") }
        return tree
    }

    private func run(_ tree: SysfsTree, _ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        VFIOAdm.run(arguments: ["nodes", "--sysfs-root", tree.root.path, "--dev-root", tree.root.path] + arguments)
    }

    @Test func qemuAndLibvirtFormats() throws {
        let tree = try host()
        #expect(run(tree, ["1", "--qemu"]).stdout == "-device vfio-pci,host=0000:01:00.0\n")
        #expect(run(tree, ["01:00.0", "--qemu", "--iommufd"]).stdout
            == "-object iommufd,id=iommufd0 -device vfio-pci,host=0000:01:00.0,iommufd=iommufd0\n")
        #expect(run(tree, ["1", "--libvirt"]).stdout == """
            <hostdev mode='subsystem' type='pci' managed='no'>
              <source>
                <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
              </source>
            </hostdev>

            """)
    }

    @Test func theJSONNamesEveryNodeWithItsOwnerAndMode() throws {
        let tree = try host()
        let result = run(tree, ["1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let device = try #require((object["devices"] as? [[String: Any]])?.first)
        #expect(device["address"] as? String == "0000:01:00.0")
        let nodes = device["nodes"] as? [[String: Any]] ?? []
        #expect(nodes.compactMap { $0["kind"] as? String } == ["group", "container", "cdev", "iommufd"])
        #expect(nodes.compactMap { $0["path"] as? String } == ["/dev/vfio/1", "/dev/vfio/vfio", "/dev/vfio/devices/vfio3",
                                                              "/dev/iommu"].map { tree.root.path + $0 })
        var info = stat()
        #expect(stat(tree.root.path + "/dev/iommu", &info) == 0)
        #expect(nodes.last?["mode"] as? String == "0" + String(info.st_mode & 0o7777, radix: 8))
        #expect(nodes.last?["uid"] as? Int == Int(info.st_uid))
        #expect(object["qemuGroup"] as? String == "-device vfio-pci,host=0000:01:00.0")
    }

    @Test func aDeviceWhoseGroupIsNotHeldExitsTwoWithTheClaim() throws {
        let result = run(try host(), ["03:02.0"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("vfioadm claim"), "\(result.stderr)")
    }

    @Test func iommufdNeedsQemu() throws {
        #expect(run(try host(), ["1", "--iommufd"]).status == 64)
        #expect(run(try host(), ["1", "--qemu", "--libvirt"]).status == 64)
    }
}
