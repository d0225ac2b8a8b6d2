import Foundation
import Testing
@testable import VFIOClaim
import VFIOSysfs

@Suite struct HazardScanTests {
    @Test func aMountedPartitionOfTheNVMeIsAHazardAndAnUnmountedOneIsNot() throws {
        let host = try ClaimHost()
        try host.tree.addDisk("nvme0n1", below: "0000:03:02.0", number: "259:0", partitions: [("nvme0n1p1", "259:1")])
        #expect(try host.hazards(2).isEmpty)

        try host.tree.mounts([("259:1", "/srv/data")])
        let found = try host.hazards(2)
        #expect(found.map(\.kind) == [.mountedFileSystem])
        #expect(found.first?.device == "0000:03:02.0")
        #expect(found.first?.message == "0000:03:02.0 backs /dev/nvme0n1p1, mounted on /srv/data")
        #expect(found.first?.overridable == true)
    }

    @Test func aMountPointWithASpaceIsUnescaped() throws {
        let host = try ClaimHost()
        try host.tree.addDisk("nvme0n1", below: "0000:03:02.0", number: "259:0")
        try host.tree.mounts([("259:0", "/srv/my\\040data")])
        #expect(try host.hazards(2).first?.message.hasSuffix("mounted on /srv/my data") == true)
    }

    @Test func swapAndStackedHoldersAreHazards() throws {
        let host = try ClaimHost()
        try host.tree.addDisk("nvme0n1", below: "0000:03:02.0", number: "259:0",
                              partitions: [("nvme0n1p2", "259:2")], holders: ["dm-0"])
        try host.tree.write("proc/swaps", """
            Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority
            /dev/nvme0n1p2                          partition\t1048572\t\t0\t\t-2

            """)
        #expect(try host.hazards(2).map(\.kind) == [.blockHolder, .swap])
    }

    @Test func aDiskOfAnotherDeviceIsNotThisGroupsHazard() throws {
        let host = try ClaimHost()
        try host.tree.addDisk("nvme0n1", below: "0000:04:00.0", number: "259:0")
        try host.tree.mounts([("259:0", "/")])
        #expect(try host.hazards(2).isEmpty)
    }

    @Test func aNetworkInterfaceCountsOnlyWhenUpWithAnAddressOrARoute() throws {
        let host = try ClaimHost()
        try host.tree.addInterface("eth0", below: "0000:04:00.0", flags: "0x1003")
        #expect(try host.hazards(4).isEmpty, "up without an address or a route")
        #expect(try host.hazards(4, ipv4: ["eth0": ["192.0.2.1"]]).map(\.message)
            == ["0000:04:00.0 is network interface eth0, up with 192.0.2.1"])

        try host.tree.write("proc/net/route", """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0

            """)
        #expect(try host.hazards(4).map(\.kind) == [.networkInterface])

        let down = try ClaimHost()
        try down.tree.addInterface("eth0", below: "0000:04:00.0", flags: "0x1002")
        try down.tree.write("proc/net/route", "Iface\tDestination\neth0\t000200C0\n")
        #expect(try down.hazards(4, ipv4: ["eth0": ["192.0.2.1"]]).isEmpty, "down")
    }

    @Test func linkLocalIPv6AloneIsNotAnAddressButAGlobalOneIs() throws {
        let host = try ClaimHost()
        try host.tree.addInterface("eth0", below: "0000:04:00.0", flags: "0x1003")
        try host.tree.write("proc/net/if_inet6", "fe80000000000000505400fffe123456 02 40 20 80     eth0\n")
        try host.tree.write("proc/net/ipv6_route",
            "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n")
        #expect(try host.hazards(4).isEmpty)
        try host.tree.write("proc/net/if_inet6", "20010db8000000000000000000000001 02 40 00 80     eth0\n")
        #expect(try host.hazards(4).first?.message
            == "0000:04:00.0 is network interface eth0, up with 2001:0db8:0000:0000:0000:0000:0000:0001/64")
    }

    @Test func theBootVGADeviceIsAHazardOnlyWithARealConsoleBound() throws {
        let host = try ClaimHost()
        try host.tree.write("sys/devices/pci0000:00/0000:01:00.0/boot_vga", "1\n")
        try host.tree.write("sys/class/vtconsole/vtcon0/bind", "0\n")
        try host.tree.write("sys/class/vtconsole/vtcon0/name", "(S) dummy device\n")
        #expect(try host.hazards(1).isEmpty)
        try host.tree.write("sys/class/vtconsole/vtcon1/bind", "1\n")
        try host.tree.write("sys/class/vtconsole/vtcon1/name", "(M) frame buffer device\n")
        let found = try host.hazards(1)
        #expect(found.map(\.kind) == [.console])
        #expect(found.first?.overridable == false)
        #expect(found.first?.evidence.map(\.value) == ["1", "1"])
    }

    @Test func aPhysicalFunctionWithVFsIsAHazard() throws {
        let host = try ClaimHost()
        try host.tree.write("sys/devices/pci0000:00/0000:04:00.0/sriov_numvfs", "2\n")
        #expect(try host.hazards(4).map(\.kind) == [.sriovVFs])
    }

    @Test func aDirectRegionCannotBeForced() throws {
        let host = try ClaimHost()
        let found = try host.hazards(3)
        #expect(found.map(\.kind) == [.directRegion])
        #expect(found.first?.overridable == false)
        #expect(found.first?.message.contains("0xbd000000-0xbdffffff") == true)
    }

    @Test func aProcessHoldingTheGroupNodeIsNamed() throws {
        let host = try ClaimHost()
        // The node is a character device: /dev/null stands in for it (matched by st_rdev).
        try host.tree.link("dev/vfio/2", to: "/dev/null")
        try host.tree.write("proc/4242/comm", "qemu-system-x86\n")
        try host.tree.link("proc/4242/fd/17", to: "/dev/null")
        let found = try host.hazards(2)
        #expect(found.map(\.message) == ["\(host.tree.root.path)/dev/vfio/2 is held open by pid 4242 (qemu-system-x86)"])
    }

    @Test func membersThatStayAreNotScanned() throws {
        let host = try ClaimHost()
        try host.tree.write("sys/devices/pci0000:00/0000:05:00.1/sriov_numvfs", "4\n")
        #expect(try host.hazards(5).isEmpty)
    }
}
