import VFIOClaim
import VFIOCore
import VFIOHost
import VFIOSysfs

extension FuzzTarget {
    /// procfs tables and `modules.alias`, which the hazard scan and `doctor` read.
    static let procTargets: [FuzzTarget] = [
        FuzzTarget(name: "mountinfo") { bytes in
            for mount in MountTable.parse(text(bytes)) {
                _ = mount.option("addr")
                _ = StorageUsage.server(of: mount)?.description
            }
        },
        FuzzTarget(name: "swaps") { bytes in
            _ = HostTables.swaps(parsing: text(bytes))
        },
        FuzzTarget(name: "route") { bytes in
            routes(RouteTable(ipv4: text(bytes), ipv6: ""))
        },
        FuzzTarget(name: "ipv6-route") { bytes in
            routes(RouteTable(ipv4: "", ipv6: text(bytes)))
        },
        FuzzTarget(name: "if-inet6") { bytes in
            _ = NetworkUsage.globalIPv6Addresses(parsing: text(bytes))
        },
        // `/proc/net/tcp` or `tcp6`: a header line, then one socket per line.
        FuzzTarget(name: "tcp") { bytes in
            for line in text(bytes).split(separator: "\n").dropFirst() { _ = TCPSession.parse(line)?.description }
        },
        FuzzTarget(name: "interrupts") { bytes in
            _ = InterruptTable(parsing: text(bytes)).remappingChips
        },
        FuzzTarget(name: "cmdline") { bytes in
            let line = KernelCommandLine(text(bytes))
            _ = line.iommuParameters.map(\.text)
            _ = line.options("intel_iommu")
            _ = line.last("iommu.passthrough")
        },
        // The aliases, then the variant driver each of a few real devices would get.
        FuzzTarget(name: "modules-alias") { bytes in
            let aliases = ModulesAlias(path: "modules.alias", text: text(bytes))
            for device in aliasDevices { _ = aliases.match(device) }
        },
    ]

    /// The interface for a few addresses, and the route summaries the hazards use.
    private static func routes(_ table: RouteTable) {
        for address in ["192.0.2.7", "10.0.2.2", "2001:db8::1", "::ffff:192.0.2.7", "fe80::1"] {
            _ = IPAddress(text: address).map(table.interface(for:))
        }
        _ = table.routedInterfaces
        _ = table.defaultRouteInterfaces
    }

    /// An NVMe, a Mellanox ConnectX-7 VF and a virtio-net device, as sysfs describes them.
    private static let aliasDevices: [PCIDevice] = ([
        (0x1B36, 0x0010, 0x1AF4, 0x1100, 0x010802), (0x15B3, 0x101E, 0x15B3, 0x0047, 0x020000),
        (0x1AF4, 0x1041, 0x1AF4, 0x1100, 0x020000),
    ] as [(UInt16, UInt16, UInt16, UInt16, UInt32)]).map { ids in
        var device = PCIDevice(address: PCIAddress(domain: 0, bus: 1, device: 0, function: 0)!)
        (device.vendorID, device.deviceID, device.subsystemVendorID, device.subsystemDeviceID) = (ids.0, ids.1, ids.2, ids.3)
        device.classCode = ids.4
        return device
    }
}
