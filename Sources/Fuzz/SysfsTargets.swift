import VFIOCore
import VFIOSysfs

extension FuzzTarget {
    /// Files of a device and its group under `/sys`, config space, VFIO's info replies and `pci.ids`.
    static let sysfsTargets: [FuzzTarget] = [
        FuzzTarget(name: "reserved-regions") { bytes in
            for region in ReservedRegion.parseFile(text(bytes)).regions {
                require(region.start <= region.end, "region \(region.range) ends before it starts")
            }
        },
        FuzzTarget(name: "uevent") { bytes in
            _ = DeviceUevent(bytes)
        },
        // Byte 0 picks the size the kernel would report (the bytes read, 64, 256 or 4096), byte 1 a
        // capability ID to look for; the rest is config space from offset 0, at most 4096 bytes.
        FuzzTarget(name: "config-space") { bytes in
            guard bytes.count >= 2 else { return }
            let space = Array(bytes[2...].prefix(4096))
            let config = ConfigSpace(bytes: space, size: [nil, 64, 256, 4096][Int(bytes[0] & 3)])
            for id in [PCIeCapability.id, 0x01, 0x05, 0x11, bytes[1]] {
                if case .found(let offset) = config.capability(id) {
                    require(offset >= 0x40 && offset < space.count, "capability \(id) at \(offset)")
                }
            }
            for id in [ACSCapability.id, 0x0003, UInt16(bytes[1])] {
                if case .found(let offset) = config.extendedCapability(id) {
                    require(offset >= 0x100 && offset < space.count, "extended capability \(id) at \(offset)")
                }
            }
            _ = config.deviceSerialNumber
            var device = PCIDevice(address: PCIAddress(domain: 0, bus: 1, device: 0, function: 0)!)
            device.vendorID = config.word(0)
            device.deviceID = config.word(2)
            device.headerType = config.headerType
            let function = PCIFunction(device: device, config: config, upstream: [])
            _ = function.kind.name
            _ = ACSCheck.of(function).summary(function.acs)
        },
        // Bytes 0-3 are the reply's `cap_offset` (little-endian), byte 4 the size of the info struct;
        // the rest is the reply, as VFIO_DEVICE_GET_REGION_INFO or VFIO_IOMMU_GET_INFO fill it.
        FuzzTarget(name: "vfio-caps") { bytes in
            guard bytes.count >= 5 else { return }
            let first = bytes[0..<4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let reply = Array(bytes[5...])
            let chain = CapabilityChain(buffer: reply, firstOffset: first, infoSize: Int(bytes[4]))
            for capability in chain.capabilities {
                require(capability.offset >= Int(bytes[4]) && capability.offset + 8 <= reply.count,
                        "capability at \(capability.offset) outside the \(reply.count)-byte reply")
                _ = capability.field(UInt32.self, at: 8)
                _ = capability.field(UInt64.self, at: 16)
            }
        },
        // The whole database, names kept for every vendor, then a few lookups.
        FuzzTarget(name: "pci-ids") { bytes in
            let ids = PCIIDs(path: "pci.ids", bytes: Array(bytes), vendorIDs: everyVendor)
            for (vendor, device) in [(0x8086, 0x2918), (0x1B36, 0x0010), (0x1AF4, 0x1041), (0x1234, 0x11E8)] as [(UInt16, UInt16)] {
                _ = ids.vendorName(vendor)
                _ = ids.deviceName(vendor: vendor, device: device)
            }
            for classCode in [0x010802, 0x060400, 0x020000, 0xFF0000] as [UInt32] { _ = ids.className(classCode) }
        },
    ]

    private static let everyVendor = Set(UInt16.min...UInt16.max)
}
