import Foundation
import LinuxSystem
import Testing
@testable import VFIOClaim
import VFIOCore
import VFIOSysfs

/// Every kind of use below a function that is not a plain mounted disk: 9p
/// shares, loop devices, swap files, open device nodes, bridges, TCP
/// sessions, network file systems, consoles and the state directory.
@Suite struct DeviceUseTests {
    /// The `major:minor` of the file system holding `path`, as a disk's `dev` file would say it.
    private func fileSystemNumber(_ path: String) -> String {
        var info = stat()
        _ = stat(path, &info)
        return DeviceNumber(rdev: UInt64(info.st_dev)).description
    }

    @Test func theRootNinePShareCannotBeForcedAndAnotherShareCan() throws {
        let host = try ClaimHost()
        try host.tree.addVirtio("virtio0", below: "0000:01:00.0", driver: "9pnet_virtio", tag: "root")
        let root = try host.hazards(1)
        #expect(root.map(\.kind) == [.rootFileSystem])
        #expect(root.first?.overridable == false)
        #expect(root.first?.message == "0000:01:00.0 serves / (9p from root), mounted on /: 9p device virtio0 (tag root)"
            + ": it is the root file system")
        #expect(root.first?.evidence.first?.source.hasSuffix("/virtio0/mount_tag") == true)

        let share = try ClaimHost()
        try share.tree.addVirtio("virtio3", below: "0000:01:00.0", driver: "9pnet_virtio", tag: "io")
        try share.tree.write("proc/self/mountinfo", """
            22 1 0:21 / / rw - 9p root rw,trans=virtio
            40 22 0:40 / /srv/io rw,relatime - 9p io rw,trans=virtio

            """)
        let found = try share.hazards(1)
        #expect(found.map(\.kind) == [.mountedFileSystem])
        #expect(found.first?.overridable == true)
        #expect(found.first?.fix.contains("p9_virtio_remove") == true)
    }

    @Test func aVirtioDeviceWithoutAMountIsNoHazard() throws {
        let host = try ClaimHost()
        try host.tree.addVirtio("virtio3", below: "0000:01:00.0", driver: "9pnet_virtio", tag: "unused")
        #expect(try host.hazards(1).isEmpty)
    }

    @Test func aLoopDeviceBackedByAFileOnTheDiskAndWhatIsMountedFromIt() throws {
        let host = try ClaimHost()
        try host.tree.write("srv/disk.img", "")
        try host.tree.addDisk("nvme0n1", below: "0000:03:02.0", number: fileSystemNumber(host.tree.root.path + "/srv"))
        try host.tree.write("sys/block/loop0/dev", "7:0\n")
        try host.tree.write("sys/block/loop0/loop/backing_file", "/srv/disk.img\n")
        try host.tree.link("sys/class/block/loop0", to: "../../block/loop0")
        try host.tree.write("proc/self/mountinfo", "22 1 0:21 / / rw - 9p root rw\n41 22 7:0 / /mnt/image rw - ext4 /dev/loop0 rw\n")
        let found = try host.hazards(2)
        let loop = try #require(found.first { $0.kind == .loopDevice })
        #expect(loop.message == "0000:03:02.0 holds /srv/disk.img (on /dev/nvme0n1), the backing file of /dev/loop0")
        #expect(loop.overridable)
        let mount = try #require(found.first { $0.kind == .mountedFileSystem })
        #expect(mount.message == "0000:03:02.0 backs /dev/loop0 (backed by /srv/disk.img), mounted on /mnt/image")
        // The test's state directory lies on the same file system as the image.
        #expect(found.contains { $0.kind == .stateFileSystem && !$0.overridable })
    }

    @Test func aSwapFileOnTheDiskIsAHazard() throws {
        let host = try ClaimHost()
        try host.tree.write("srv/swapfile", "")
        try host.tree.addDisk("nvme0n1", below: "0000:03:02.0", number: fileSystemNumber(host.tree.root.path + "/srv"))
        try host.tree.write("proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n/srv/swapfile file 4092 0 -2\n")
        let swap = try #require(try host.hazards(2).first { $0.kind == .swap })
        #expect(swap.message == "0000:03:02.0 holds the swap file /srv/swapfile (on /dev/nvme0n1)")
        #expect(swap.evidence.map(\.value) == ["/srv/swapfile file"])
    }

    @Test func theStateDirectorysFileSystemCannotBeForced() throws {
        let host = try ClaimHost()
        try host.tree.addDisk("nvme0n1", below: "0000:03:02.0", number: fileSystemNumber(host.tree.root.path))
        let found = try host.hazards(2)
        #expect(found.map(\.kind) == [.stateFileSystem])
        #expect(found.first?.overridable == false)
        #expect(found.first?.message.contains("vfioadm's state directory \(host.paths.state)") == true)
    }

    @Test func aProcessHoldingACharacterDeviceOfTheFunctionIsNamed() throws {
        let host = try ClaimHost()
        // /dev/null (1:3) stands in for /dev/nvme0: the scan compares st_rdev with the sysfs dev file.
        try host.tree.addCharDevice("nvme/nvme0", below: "0000:03:02.0", number: "1:3", devName: "nvme0")
        try host.tree.write("proc/77/comm", "smartd\n")
        try host.tree.link("proc/77/fd/3", to: "/dev/null")
        try host.tree.link("proc/78/fd/3", to: "/dev/zero")
        let found = try host.hazards(2)
        #expect(found.map(\.kind) == [.openNode])
        #expect(found.first?.message == "/dev/nvme0 is held open by pid 77 (smartd)")
        #expect(found.first?.device == "0000:03:02.0")
        #expect(found.first?.evidence.first?.source.hasSuffix("/proc/77/fd") == true)
    }

    @Test func aBridgeMemberIsAHazardEvenWithoutAnAddressOfItsOwn() throws {
        let host = try ClaimHost()
        try host.tree.addInterface("eth0", below: "0000:04:00.0", flags: "0x1003")
        try host.tree.addVirtualInterface("br0", flags: "0x1003", bridge: true)
        try host.tree.link("sys/devices/pci0000:00/0000:04:00.0/net/eth0/master", to: "../../../../virtual/net/br0")
        #expect(try host.hazards(4).map(\.message) == ["0000:04:00.0 is network interface eth0, a member of bridge br0"])
        let withAddress = try host.hazards(4, ipv4: ["br0": ["192.0.2.1"]])
        #expect(withAddress.map(\.kind) == [.enslavedInterface, .networkInterface])
        #expect(withAddress.last?.message == "0000:04:00.0 carries br0 (bridge of eth0), up with 192.0.2.1")
    }

    @Test func anEstablishedTCPSessionOverTheInterfaceIsNamed() throws {
        let host = try ClaimHost()
        try host.tree.addInterface("eth0", below: "0000:04:00.0", flags: "0x1003")
        try host.tree.write("proc/net/tcp", """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
               1: 010200C0:0016 090200C0:D431 01 00000000:00000000 02:00000000 00000000     0        0 2 1

            """)
        let found = try host.hazards(4, ipv4: ["eth0": ["192.0.2.1"]])
        #expect(found.map(\.kind) == [.networkInterface, .tcpSession])
        #expect(found.last?.message == "0000:04:00.0 carries 1 established TCP connection over eth0: "
            + "192.0.2.1:22 <-> 192.0.2.9:54321")
    }

    @Test func aNetworkFileSystemWhoseServerIsRoutedOverTheInterface() throws {
        let host = try ClaimHost()
        try host.tree.addInterface("eth0", below: "0000:04:00.0", flags: "0x1003")
        try host.tree.write("proc/net/route", """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0

            """)
        try host.tree.write("proc/self/mountinfo", """
            22 1 0:21 / / rw - 9p root rw
            40 22 0:50 / /home rw - nfs4 192.0.2.7:/home rw,vers=4.2,addr=192.0.2.7
            41 22 0:51 / /elsewhere rw - nfs4 198.51.100.7:/x rw,vers=4.2,addr=198.51.100.7

            """)
        let found = try host.hazards(4)
        #expect(found.map(\.kind) == [.mountedFileSystem, .networkInterface])
        #expect(found.first?.message == "0000:04:00.0 serves /home (nfs4 from 192.0.2.7:/home), mounted on /home: "
            + "its server 192.0.2.7 is reached over eth0")
    }

    @Test func anActiveSerialConsoleOfTheFunctionCannotBeForced() throws {
        let host = try ClaimHost()
        try host.tree.addCharDevice("tty/ttyS4", below: "0000:01:00.0", number: "4:68", devName: "ttyS4")
        try host.tree.write("sys/class/tty/console/active", "tty0 ttyS4\n")
        let found = try host.hazards(1)
        #expect(found.map(\.kind) == [.console])
        #expect(found.first?.overridable == false)
        try host.tree.write("sys/class/tty/console/active", "tty0\n")
        #expect(try host.hazards(1).isEmpty)
    }

    @Test func aFramebufferConsoleOnTheFunctionCannotBeForced() throws {
        let host = try ClaimHost()
        try host.tree.addCharDevice("graphics/fb0", below: "0000:01:00.0", number: "29:0", devName: "fb0")
        try host.tree.write("sys/class/tty/console/active", "tty0\n")
        try host.tree.write("sys/class/vtconsole/vtcon1/bind", "1\n")
        try host.tree.write("sys/class/vtconsole/vtcon1/name", "(M) frame buffer device\n")
        #expect(try host.hazards(1).map(\.message) == [
            "0000:01:00.0 drives /dev/fb0, and the VT console is on it: vtcon1 ((M) frame buffer device)",
        ])
    }

    @Test func theRootFileSystemIsRefusedEvenWithForce() throws {
        let host = try ClaimHost()
        try host.tree.addVirtio("virtio0", below: "0000:01:00.0", driver: "9pnet_virtio", tag: "root")
        let report = try host.claimer().run(.init(groups: [ClaimHost.group(1)], force: true))
        #expect(report.groups.map(\.result) == [.refused])
        #expect(host.kernel.log.isEmpty)
    }
}

@Suite struct MountTableTests {
    @Test func fieldsAfterTheOptionalOnesAndEscapes() {
        let mounts = MountTable.parse("""
            36 35 98:0 /mnt1 /mnt\\040two rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue
            37 35 0:40 / /srv 9p share rw,trans=virtio
            bad line
            38 35 0:41 / /home rw - nfs4 [2001:db8::7]:/home rw,vers=4.2

            """)
        #expect(mounts.count == 2)
        #expect(mounts.first?.point == "/mnt two")
        #expect(mounts.first?.type == "ext3")
        #expect(mounts.first?.source == "/dev/root")
        #expect(mounts.first?.number == DeviceNumber(major: 98, minor: 0))
        #expect(mounts.last.map(StorageUsage.server(of:))??.description == "2001:db8::7")
    }

    @Test(arguments: [
        ("nfs4", "192.0.2.7:/home", "rw,addr=192.0.2.9", "192.0.2.9"),
        ("nfs", "192.0.2.7:/home", "rw", "192.0.2.7"),
        ("cifs", "//192.0.2.8/share", "rw", "192.0.2.8"),
        ("fuse.sshfs", "admin@192.0.2.5:/data", "rw", "192.0.2.5"),
        ("nfs", "fileserver:/home", "rw", "none"),
    ])
    func theServerOfANetworkMount(_ type: String, _ source: String, _ options: String, _ server: String) {
        let mount = Mount(number: DeviceNumber(major: 0, minor: 50), point: "/x", type: type, source: source,
                          options: options)
        #expect(StorageUsage.server(of: mount)?.description ?? "none" == server)
    }
}

@Suite struct IPAddressTests {
    @Test func procfsHexInBothByteOrders() {
        #expect(IPAddress(hex: "010200C0", wordsInHostOrder: true)?.description == "192.0.2.1")
        #expect(IPAddress(hex: "20010db8000000000000000000000001", wordsInHostOrder: false)?.description == "2001:db8::1")
        #expect(IPAddress(hex: "B80D0120000000000000000001000000", wordsInHostOrder: true)?.description == "2001:db8::1")
        #expect(IPAddress(hex: "0000000000000000FFFF0000010200C0", wordsInHostOrder: true)?.unmapped.description == "192.0.2.1")
        #expect(IPAddress(hex: "01020", wordsInHostOrder: true) == nil)
    }

    @Test func longestPrefixWins() {
        func route(_ interface: String, _ text: String, _ length: Int) -> RouteTable.Route {
            RouteTable.Route(interface: interface, destination: IPAddress(text: text)!, prefixLength: length)
        }
        let table = RouteTable(routes: [route("eth0", "0.0.0.0", 0), route("eth1", "192.0.2.0", 24)])
        #expect(table.interface(for: IPAddress(text: "192.0.2.7")!) == "eth1")
        #expect(table.interface(for: IPAddress(text: "198.51.100.1")!) == "eth0")
        #expect(table.defaultRouteInterfaces == ["eth0"])
    }
}
