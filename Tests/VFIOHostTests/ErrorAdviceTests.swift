import Glibc
import LinuxSystem
import SysfsTestSupport
import Testing
import VFIOSysfs
@testable import VFIOHost
import VFIOCore

/// A sysfs, /dev and /proc tree shaped like a host's: group 12 holds a device
/// on vfio-pci, one on snd_hda_intel (a kernel DMA driver), one on pcieport
/// (driver-managed DMA) and one unbound; pid 4242 holds /dev/vfio/12.
final class HostFixture {
    let tree: TempTree
    let context: DiagnosisContext
    let group = IOMMUGroupID(rawValue: 12)

    init(reservedRegions: String = "0x00000000fee00000 0x00000000feefffff msi\n") throws {
        tree = try TempTree()
        let devices: [(String, String?)] = [
            ("0000:00:1f.0", "vfio-pci"), ("0000:00:1f.3", "snd_hda_intel"), ("0000:00:1c.0", "pcieport"),
            ("0000:00:1f.4", nil),
        ]
        for (name, driver) in devices {
            let real = "sys/devices/pci0000:00/" + name
            try tree.directory(real)
            if let driver { try tree.link(real + "/driver", to: "../../../bus/pci/drivers/" + driver) }
            try tree.link(real + "/iommu_group", to: "../../../kernel/iommu_groups/12")
            try tree.link("sys/kernel/iommu_groups/12/devices/" + name, to: "../../../../devices/pci0000:00/" + name)
            try tree.link("sys/bus/pci/devices/" + name, to: "../../../devices/pci0000:00/" + name)
        }
        try tree.directory("sys/devices/pci0000:00/0000:00:1f.0/vfio-dev/vfio3")
        try tree.file("sys/kernel/iommu_groups/12/reserved_regions", reservedRegions)
        try tree.file("sys/module/vfio_iommu_type1/parameters/dma_entry_limit", "65535\n")
        try tree.file("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "N\n")
        try tree.file("sys/module/iommufd/parameters/allow_unsafe_interrupts", "N\n")
        try tree.file("dev/vfio/12", "")
        try tree.file("proc/4242/comm", "qemu-system-x86\n")
        try tree.link("proc/4242/fd/0", to: "/dev/null")
        try tree.link("proc/4242/fd/17", to: tree.path("dev/vfio/12"))
        try tree.file("proc/777/comm", "bash\n")
        try tree.link("proc/777/fd/3", to: "/dev/pts/0")
        try tree.file("proc/meminfo", "")
        context = DiagnosisContext(root: HostRoot(tree.root),
                                   memlock: MemlockLimit(soft: 8 << 20, hard: 64 << 20))
    }

    var groupNode: String { context.root.groupNode(group) }
}

@Suite("Error advice")
struct ErrorAdviceTests {
    @Test(arguments: [VFIOOperation.groupSetContainer, .deviceBindIOMMUFD, .groupGetStatus])
    func ownershipNamesTheKernelDriverSibling(_ operation: VFIOOperation) throws {
        let host = try HostFixture()
        let error = VFIOError(operation, path: host.groupNode, errno: Errno(rawValue: EPERM))
        let advice = try #require(ErrorAdvice.explain(error, context: host.context))
        #expect(advice.contains("IOMMU group 12"))
        #expect(advice.contains("0000:00:1f.3 is bound to snd_hda_intel"))
        #expect(!advice.contains("1f.0"))
        #expect(!advice.contains("pcieport"))
        #expect(!advice.contains("1f.4"))
    }

    @Test func ownershipFindsTheGroupFromTheDevice() throws {
        let host = try HostFixture()
        var context = host.context
        context.device = PCIAddress("0000:00:1f.0")
        let error = VFIOError(.deviceBindIOMMUFD, path: context.root.cdev("vfio3"), errno: Errno(rawValue: EPERM))
        let advice = try #require(ErrorAdvice.explain(error, context: context))
        #expect(advice.contains("snd_hda_intel"))
    }

    @Test func ownershipWithoutKernelDriversNamesTheOtherOwner() throws {
        let host = try HostFixture()
        try removeLink(host.tree.path("sys/devices/pci0000:00/0000:00:1f.3/driver"))
        let error = VFIOError(.deviceBindIOMMUFD, path: host.context.root.cdev("vfio3"), errno: Errno(rawValue: EPERM))
        var context = host.context
        context.group = host.group
        let advice = try #require(ErrorAdvice.explain(error, context: context))
        #expect(advice.contains("another user owns the group"))
        #expect(advice.contains("allow_unsafe_interrupts is N"))
        #expect(advice.contains("pid 4242 (qemu-system-x86)"))
    }

    @Test func directRegionNamesTheFirmwareMapping() throws {
        let host = try HostFixture(reservedRegions: """
            0x00000000000e8000 0x00000000000e8fff direct
            0x00000000fee00000 0x00000000feefffff msi

            """)
        let error = VFIOError(.groupSetContainer, path: host.groupNode, errno: Errno(rawValue: EINVAL))
        let advice = try #require(ErrorAdvice.explain(error, context: host.context))
        #expect(advice.contains("000e8000"))
        #expect(advice.contains("000e8fff"))
        #expect(advice.contains("1:1"))
        #expect(!advice.contains("fee00000"))
    }

    @Test func relaxableRegionIsNotBlamed() throws {
        let host = try HostFixture(reservedRegions: "0x00000000000e8000 0x00000000000e8fff direct-relaxable\n")
        let error = VFIOError(.groupSetContainer, path: host.groupNode, errno: Errno(rawValue: EINVAL))
        let advice = try #require(ErrorAdvice.explain(error, context: host.context))
        #expect(!advice.contains("1:1"))
        #expect(advice.contains("already attached"))
    }

    @Test(arguments: [VFIOOperation.iommuMapDMA, .ioasMap])
    func memlockNamesTheLimit(_ operation: VFIOOperation) throws {
        let host = try HostFixture()
        var context = host.context
        context.mapLength = 1 << 30
        let error = VFIOError(operation, path: "/dev/vfio/vfio", errno: Errno(rawValue: ENOMEM))
        let advice = try #require(ErrorAdvice.explain(error, context: context))
        #expect(advice.contains("RLIMIT_MEMLOCK (soft 8 MiB, hard 64 MiB)"))
        #expect(advice.contains("1 GiB"))
        #expect(advice.contains("per user") == false)
        #expect(advice.contains("to the user") == (operation == .ioasMap))
    }

    @Test func memlockReadsThisProcessWhenNotGiven() throws {
        let limit = try #require(MemlockLimit.current())
        let error = VFIOError(.iommuMapDMA, path: "/dev/vfio/vfio", errno: Errno(rawValue: ENOMEM))
        let advice = try #require(ErrorAdvice.explain(error, context: DiagnosisContext()))
        #expect(advice.contains("soft " + (limit.soft.map(formatBytes) ?? "unlimited")))
    }

    @Test func entryLimitNamesTheModuleParameter() throws {
        let host = try HostFixture()
        let error = VFIOError(.iommuMapDMA, path: "/dev/vfio/vfio", errno: Errno(rawValue: ENOSPC))
        let advice = try #require(ErrorAdvice.explain(error, context: host.context))
        #expect(advice.contains("dma_entry_limit is 65535"))
        #expect(advice.contains("sys/module/vfio_iommu_type1/parameters/dma_entry_limit"))
    }

    @Test func entryLimitUnreadable() throws {
        let tree = try TempTree()
        let error = VFIOError(.iommuMapDMA, path: "/dev/vfio/vfio", errno: Errno(rawValue: ENOSPC))
        let advice = try #require(ErrorAdvice.explain(error, context: DiagnosisContext(root: HostRoot(tree.root))))
        #expect(advice.contains("unreadable: ENOENT"))
    }

    @Test func busyOpenNamesTheHolder() throws {
        let host = try HostFixture()
        let error = VFIOError(.open, path: host.groupNode, errno: Errno(rawValue: EBUSY))
        let advice = try #require(ErrorAdvice.explain(error, context: host.context))
        #expect(advice.contains("pid 4242 (qemu-system-x86)"))
        #expect(!advice.contains("bash"))
    }

    @Test func busyOpenFindsCdevHolders() throws {
        let host = try HostFixture()
        try removeLink(host.tree.path("proc/4242/fd/17"))
        try host.tree.link("proc/4242/fd/18", to: host.context.root.cdev("vfio3"))
        let error = VFIOError(.open, path: host.groupNode, errno: Errno(rawValue: EBUSY))
        let advice = try #require(ErrorAdvice.explain(error, context: host.context))
        #expect(advice.contains("pid 4242 (qemu-system-x86) (\(host.context.root.cdev("vfio3")))"))
    }

    @Test func busyOpenWithoutVisibleHolder() throws {
        let host = try HostFixture()
        let error = VFIOError(.open, path: host.context.root.groupNode(IOMMUGroupID(rawValue: 99)), errno: Errno(rawValue: EBUSY))
        let advice = try #require(ErrorAdvice.explain(error, context: host.context))
        #expect(advice.contains("No holder was found"))
    }

    /// The context as `info` and `probe` build it under `--sysfs-root`: only the
    /// roots. The holders come from that root's `proc`, never the live host's.
    @Test func adviceUnderAnotherRootScansThatRootsProc() throws {
        let host = try HostFixture()
        let context = DiagnosisContext(root: HostRoot(host.tree.root))
        let busy = VFIOError(.open, path: host.groupNode, errno: Errno(rawValue: EBUSY))
        #expect(try #require(ErrorAdvice.explain(busy, context: context)).contains("pid 4242 (qemu-system-x86)"))
        let unheld = VFIOError(.open, path: context.root.groupNode(IOMMUGroupID(rawValue: 99)), errno: Errno(rawValue: EBUSY))
        #expect(try #require(ErrorAdvice.explain(unheld, context: context))
            .contains("No holder was found in \(host.tree.path("proc")) "))
    }

    @Test func setIOMMUPermissionNamesInterruptRemapping() throws {
        let host = try HostFixture()
        let error = VFIOError(.setIOMMU, path: "/dev/vfio/vfio", errno: Errno(rawValue: EPERM))
        let advice = try #require(ErrorAdvice.explain(error, context: host.context))
        #expect(advice.contains("interrupt remapping"))
        #expect(advice.contains("(now N)"))
    }

    @Test func missingGroupNode() throws {
        let host = try HostFixture()
        let error = VFIOError(.open, path: host.context.root.groupNode(IOMMUGroupID(rawValue: 7)), errno: Errno(rawValue: ENOENT))
        let advice = try #require(ErrorAdvice.explain(error, context: host.context))
        #expect(advice.contains("no device of IOMMU group 7 is bound to vfio-pci"))
    }

    @Test func nothingToAddForOtherErrors() {
        let error = VFIOError(.deviceReset, path: "0000:00:03.0", errno: Errno(rawValue: EAGAIN))
        #expect(ErrorAdvice.explain(error) == nil)
    }

    @Test func processScanSkipsNonProcessEntries() throws {
        let host = try HostFixture()
        let holders = ProcessScan.holders(of: [host.groupNode, "/dev/null"], procRoot: host.context.root.proc)
        #expect(holders == [
            NodeHolder(pid: 4242, command: "qemu-system-x86", path: "/dev/null"),
            NodeHolder(pid: 4242, command: "qemu-system-x86", path: host.groupNode),
        ])
    }

    @Test(arguments: [(UInt64(512), "512 bytes"), (8 << 20, "8 MiB"), (1536, "1.5 KiB"), (1 << 30, "1 GiB")])
    func byteFormatting(_ bytes: UInt64, _ text: String) {
        #expect(formatBytes(bytes) == text)
    }
}

/// Removes a symbolic link (or file) without following it.
func removeLink(_ path: String) throws {
    guard unlink(path) == 0 else { throw Errno(rawValue: errno) }
}
