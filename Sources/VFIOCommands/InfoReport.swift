import VFIOCore
import VFIOSysfs

/// What `info` found out about a vfio-pci device through its device fd.
struct InfoReport: Encodable, Sendable {
    let schemaVersion = 1
    let device: PCIAddress
    let group: IOMMUGroupID
    /// The mode the device fd was obtained with.
    let openedWith: String
    let cdev: Cdev?
    /// `pci`, `reset`, `caps`, … from `VFIO_DEVICE_GET_INFO`.
    let flags: [String]
    let reset: Bool
    let regions: [Region]
    let irqs: [IRQ]
    let problems: [String]
    /// The kernel's reset methods, power state, placement and link, from sysfs.
    let lifecycle: DeviceLifecycle.JSON

    struct Cdev: Encodable, Sendable {
        let name: String
        let path: String
        /// `major:minor`
        let number: String
    }

    struct Region: Encodable, Sendable {
        let index: UInt32
        /// `BAR0`, `ROM`, `config`, `VGA`, `region 9`.
        let name: String
        let size: UInt64
        /// Where the region starts in the device fd, `0x` hex.
        let offset: String
        /// `read`, `write`, `mmap`, `caps`.
        let flags: [String]
        let sparseAreas: [Area]?
        let type: UInt32?
        let subtype: UInt32?
        let msixMappable: Bool

        struct Area: Encodable, Sendable {
            let offset: String
            let size: UInt64
        }

        init(_ info: RegionInfo) {
            index = info.index.rawValue
            name = info.index.description
            size = info.size
            offset = ByteFormat.hex(info.offset)
            let names: [(RegionFlags, String)] = [(.read, "read"), (.write, "write"), (.mmap, "mmap"), (.caps, "caps")]
            flags = names.filter { info.flags.contains($0.0) }.map(\.1)
            sparseAreas = info.sparseAreas?.map { Area(offset: ByteFormat.hex($0.offset), size: $0.size) }
            type = info.type?.type
            subtype = info.type?.subtype
            msixMappable = info.msixMappable
        }
    }

    struct IRQ: Encodable, Sendable {
        let index: UInt32
        /// `INTx`, `MSI`, `MSI-X`, `ERR`, `REQ`.
        let name: String
        let count: UInt32
        /// `eventfd`, `maskable`, `automasked`, `noresize`.
        let flags: [String]

        init(_ info: IRQInfo) {
            index = info.index.rawValue
            name = info.index.description
            count = info.count
            let names: [(IRQFlags, String)] = [(.eventfd, "eventfd"), (.maskable, "maskable"),
                                               (.automasked, "automasked"), (.noResize, "noresize")]
            flags = names.filter { info.flags.contains($0.0) }.map(\.1)
        }
    }

    static func flagNames(_ flags: DeviceFlags) -> [String] {
        let names: [(DeviceFlags, String)] = [
            (.reset, "reset"), (.pci, "pci"), (.platform, "platform"), (.amba, "amba"), (.ccw, "ccw"), (.ap, "ap"),
            (.fslMC, "fsl-mc"), (.caps, "caps"), (.cdx, "cdx"),
        ]
        return names.filter { flags.contains($0.0) }.map(\.1)
    }
}
