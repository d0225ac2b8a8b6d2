import Foundation
import LinuxSystem
import SysfsTestSupport
import Testing
import VFIOSysfs
@testable import VFIOHost
import VFIOCore

/// `HostDoctor` on sysfs trees captured from the test guest's kernels and on
/// hand-built trees for the states no topology boots into. /dev is an empty
/// folder unless a test adds nodes, so only the file-based checks are judged.
@Suite struct HostDoctorTests {
    static func fixture(_ topology: String) -> HostRoot {
        HostRoot(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(topology)").path)
    }

    static let root = ProcessPrivileges(isRoot: true, canLockMemory: true)

    static func run(_ sysfs: HostRoot, dev: TempTree, privileges: ProcessPrivileges = root,
                    memlock: MemlockLimit? = MemlockLimit(soft: nil, hard: nil)) -> [String: HostCheck]
    {
        let checks = HostDoctor(root: HostRoot(sysfs.path, dev: dev.root), privileges: privileges, memlock: memlock,
                                plannedMemory: 1 << 30).run()
        return Dictionary(uniqueKeysWithValues: checks.map { ($0.id, $0) })
    }

    private func status(_ checks: [String: HostCheck], _ id: String) -> HostCheck.Status? { checks[id]?.status }

    @Test(arguments: ["intel", "virtio", "amd"])
    func capturedHostsWithAnIOMMUPassTheIOMMUChecks(topology: String) throws {
        let checks = Self.run(Self.fixture(topology), dev: try TempTree())
        for id in ["iommu-hardware", "iommu-enabled", "iommu-domains", "unsafe-interrupts", "vfio-modules",
                   "device-cdev", "noiommu", "memlock", "dma-entry-limit", "hugepages"] {
            #expect(status(checks, id) == .pass, "\(topology) \(id): \(String(describing: checks[id]))")
        }
        let units = try FileManager.default.contentsOfDirectory(atPath: Self.fixture(topology).iommuUnits)
        #expect(checks["iommu-hardware"]?.evidence.last?.value == units.sorted().joined(separator: ", "))
    }

    @Test func interruptRemappingFollowsTheCapturedInterruptChips() throws {
        let dev = try TempTree()
        let intel = Self.run(Self.fixture("intel"), dev: dev)["interrupt-remapping"]
        #expect(intel?.status == .pass)
        #expect(intel?.evidence.first?.value == "0xf00f4a (IR, bit 3: set)")
        #expect(Self.run(Self.fixture("amd"), dev: dev)["interrupt-remapping"]?.status == .pass)
        let virtio = Self.run(Self.fixture("virtio"), dev: dev)["interrupt-remapping"]
        #expect(virtio?.status == .warn)
        #expect(virtio?.fix?.contains("allow_unsafe_interrupts") == true)
        #expect(Self.run(Self.fixture("noiommu"), dev: dev)["interrupt-remapping"]?.status == .skip)
    }

    @Test func capturedIntelOffFailsWithTheCommandLineFix() throws {
        let checks = Self.run(Self.fixture("intel-off"), dev: try TempTree())
        #expect(status(checks, "iommu-hardware") == .pass)
        let enabled = try #require(checks["iommu-enabled"])
        #expect(enabled.status == .fail)
        #expect(enabled.fix?.hasPrefix("Replace intel_iommu=off with intel_iommu=on") == true)
        #expect(enabled.evidence.contains { $0.source.hasSuffix("proc/cmdline") && $0.value == "intel_iommu=off" })
        #expect(status(checks, "iommu-domains") == .skip)
    }

    @Test func capturedNoIOMMUHostFailsHardwareAndWarnsAboutTheUnsafeMode() throws {
        let checks = Self.run(Self.fixture("noiommu"), dev: try TempTree())
        #expect(status(checks, "iommu-hardware") == .fail)
        #expect(status(checks, "iommu-enabled") == .skip)
        let noIOMMU = try #require(checks["noiommu"])
        #expect(noIOMMU.status == .warn)
        #expect(noIOMMU.evidence.map(\.value).contains("0 (TAINT_USER, bit 6: clear)"))
    }

    // MARK: Hand-built trees

    /// An ACPI host with VFIO built in and one huge page pool; the rest per test.
    static func host() throws -> TempTree {
        let tree = try TempTree()
        try tree.file("sys/firmware/acpi/tables/FACP", "")
        try tree.file("sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "N\n")
        try tree.file("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "N\n")
        try tree.file("sys/module/vfio_iommu_type1/parameters/dma_entry_limit", "65535\n")
        try tree.file("sys/module/vfio_iommu_type1/parameters/disable_hugepages", "N\n")
        try tree.file("sys/module/vfio_pci/parameters/ids", "\n")
        try tree.file("sys/module/iommufd/parameters/allow_unsafe_interrupts", "N\n")
        try tree.file("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "16\n")
        try tree.file("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "16\n")
        try tree.file("proc/cmdline", "root=/dev/sda1 ro quiet\n")
        try tree.file("proc/interrupts", "           CPU0\n  0:   5  IO-APIC   2-edge   timer\n")
        try tree.file("proc/devices", "Character devices:\n 10 misc\n252 vfio\n\nBlock devices:\n")
        try tree.file("proc/sys/kernel/tainted", "0\n")
        try tree.file("proc/sys/kernel/osrelease", "6.1.0-test\n")
        return tree
    }

    static func group(_ tree: TempTree, _ id: Int, type: String, name: String? = nil) throws {
        try tree.file("sys/kernel/iommu_groups/\(id)/type", type + "\n")
        try tree.directory("sys/kernel/iommu_groups/\(id)/devices")
        if let name { try tree.file("sys/kernel/iommu_groups/\(id)/name", name + "\n") }
    }

    static func intelUnit(_ tree: TempTree, ecap: String) throws {
        try tree.file("sys/devices/virtual/iommu/dmar0/intel-iommu/cap", "d2008c22260286\n")
        try tree.file("sys/devices/virtual/iommu/dmar0/intel-iommu/ecap", ecap + "\n")
        try tree.link("sys/class/iommu/dmar0", to: "../../devices/virtual/iommu/dmar0")
    }

    @Test func noIOMMUHardwareFailsWithTheFirmwareFix() throws {
        let tree = try Self.host()
        let checks = Self.run(HostRoot(tree.root), dev: try TempTree())
        let hardware = try #require(checks["iommu-hardware"])
        #expect(hardware.status == .fail)
        #expect(hardware.fix?.contains("VT-d") == true)
        #expect(hardware.evidence.map(\.value) == ["no DMAR, IVRS, VIOT or IORT table", "no units"])
        #expect(status(checks, "iommu-enabled") == .skip)
    }

    @Test(arguments: [
        ("root=/dev/sda1 ro quiet", "Add intel_iommu=on"),
        ("root=/dev/sda1 intel_iommu=on intel_iommu=off", "Replace intel_iommu=off with intel_iommu=on"),
        ("root=/dev/sda1 intel_iommu=on", "intel_iommu=on is set, yet VT-d stayed off"),
        ("root=/dev/sda1 iommu=off intel_iommu=on", "Remove iommu=off"),
    ])
    func disabledVTdFailsWithTheFixForItsCommandLine(commandLine: String, fix: String) throws {
        let tree = try Self.host()
        try tree.file("sys/firmware/acpi/tables/DMAR", "")
        try tree.file("proc/cmdline", commandLine + "\n")
        let checks = Self.run(HostRoot(tree.root), dev: try TempTree())
        #expect(status(checks, "iommu-hardware") == .pass)
        let enabled = try #require(checks["iommu-enabled"])
        #expect(enabled.status == .fail)
        #expect(enabled.fix?.hasPrefix(fix) == true, "\(enabled.fix ?? "no fix")")
    }

    @Test func disabledAMDViNamesAmdIOMMUOff() throws {
        let tree = try Self.host()
        try tree.file("sys/firmware/acpi/tables/IVRS", "")
        try tree.file("proc/cmdline", "ro amd_iommu=off\n")
        let enabled = Self.run(HostRoot(tree.root), dev: try TempTree())["iommu-enabled"]
        #expect(enabled?.status == .fail)
        #expect(enabled?.fix?.hasPrefix("Remove amd_iommu=off") == true)
    }

    @Test func noIOMMUModeWarnsWithTheTaintAndIsNotCountedAsAnIOMMU() throws {
        let tree = try Self.host()
        try tree.file("sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "Y\n")
        try Self.group(tree, 0, type: "unknown", name: "vfio-noiommu")
        try tree.file("proc/sys/kernel/tainted", "64\n")
        let checks = Self.run(HostRoot(tree.root), dev: try TempTree())
        let noIOMMU = try #require(checks["noiommu"])
        #expect(noIOMMU.status == .warn)
        #expect(noIOMMU.summary.hasSuffix("the kernel is tainted (TAINT_USER)"))
        #expect(noIOMMU.evidence.map(\.value) == ["Y", "vfio-noiommu: groups 0", "64 (TAINT_USER, bit 6: set)"])
        #expect(status(checks, "iommu-hardware") == .fail)
        #expect(checks["iommu-enabled"]?.evidence.first?.value
            == "0 IOMMU groups and 1 no-IOMMU group (name vfio-noiommu)")
        #expect(status(checks, "iommu-domains") == .skip)
    }

    @Test func identityDomainsPassWithANote() throws {
        let tree = try Self.host()
        try Self.intelUnit(tree, ecap: "f00f4a")
        try tree.file("sys/firmware/acpi/tables/DMAR", "")
        try tree.file("proc/cmdline", "ro intel_iommu=on iommu=pt\n")
        try Self.group(tree, 0, type: "identity")
        try Self.group(tree, 1, type: "identity")
        try Self.group(tree, 2, type: "DMA")
        let checks = Self.run(HostRoot(tree.root), dev: try TempTree())
        #expect(status(checks, "iommu-enabled") == .pass)
        let domains = try #require(checks["iommu-domains"])
        #expect(domains.status == .pass)
        #expect(domains.summary.hasPrefix("DMA 1, identity 2; identity (passthrough) groups are fine for VFIO"))
        #expect(domains.evidence.map(\.value) == ["DMA: groups 2", "identity: groups 0 1", "intel_iommu=on, iommu=pt"])
    }

    @Test func groupsWithoutADefaultDomainWarn() throws {
        let tree = try Self.host()
        try tree.file("sys/firmware/acpi/tables/DMAR", "")
        try Self.group(tree, 3, type: "unknown")
        #expect(Self.run(HostRoot(tree.root), dev: try TempTree())["iommu-domains"]?.status == .warn)
    }

    @Test func remappingCapableVTdThatDoesNotRemapWarnsAboutIntremap() throws {
        let tree = try Self.host()
        try Self.intelUnit(tree, ecap: "f00f4a")
        let check = Self.run(HostRoot(tree.root), dev: try TempTree())["interrupt-remapping"]
        #expect(check?.status == .warn)
        #expect(check?.fix?.hasPrefix("Remove intremap=off") == true)

        let incapable = try Self.host()
        try Self.intelUnit(incapable, ecap: "f00f42")
        let without = Self.run(HostRoot(incapable.root), dev: try TempTree())["interrupt-remapping"]
        #expect(without?.status == .warn)
        #expect(without?.evidence.first?.value == "0xf00f42 (IR, bit 3: clear)")
        #expect(without?.fix?.hasPrefix("Use an IOMMU with interrupt remapping") == true)
    }

    @Test func unsafeInterruptsWarnNamingTheParameterThatIsOn() throws {
        let tree = try Self.host()
        try tree.file("sys/module/iommufd/parameters/allow_unsafe_interrupts", "Y\n")
        let check = Self.run(HostRoot(tree.root), dev: try TempTree())["unsafe-interrupts"]
        #expect(check?.status == .warn)
        #expect(check?.fix?.contains(tree.path("sys/module/iommufd/parameters/allow_unsafe_interrupts")) == true)
        #expect(check?.fix?.contains("vfio_iommu_type1") == false)
    }

    @Test func modulesOnlyInModulesDepWarnWithModprobe() throws {
        let tree = try Self.host()
        try FileManager.default.removeItem(atPath: tree.path("sys/module/vfio_pci"))
        try FileManager.default.removeItem(atPath: tree.path("sys/module/iommufd"))
        try tree.file("lib/modules/6.1.0-test/modules.dep",
                      "kernel/drivers/vfio/pci/vfio-pci.ko: kernel/drivers/vfio/vfio.ko\nkernel/drivers/vfio/vfio.ko:\n")
        let check = try #require(Self.run(HostRoot(tree.root), dev: try TempTree())["vfio-modules"])
        #expect(check.status == .warn)
        #expect(check.fix?.hasPrefix("modprobe -a vfio-pci ") == true)
        #expect(check.evidence.map(\.value) == ["built-in", "built-in", "loadable", "absent"])
    }

    @Test func missingVFIOPCIFails() throws {
        let tree = try Self.host()
        try FileManager.default.removeItem(atPath: tree.path("sys/module/vfio_pci"))
        #expect(Self.run(HostRoot(tree.root), dev: try TempTree())["vfio-modules"]?.status == .fail)
    }

    @Test func containerNodeMissingFailsUnlessIOMMUFDCanServe() throws {
        let tree = try Self.host()
        let dev = try TempTree()
        #expect(Self.run(HostRoot(tree.root), dev: dev)["container"]?.status == .fail)
        try dev.file("dev/iommu", "")
        #expect(Self.run(HostRoot(tree.root), dev: dev)["container"]?.status == .warn)
    }

    @Test func missingIOMMUNodeWarnsAndCdevsFollowProcDevices() throws {
        let tree = try Self.host()
        let checks = Self.run(HostRoot(tree.root), dev: try TempTree())
        #expect(checks["iommufd"]?.status == .warn)
        #expect(checks["device-cdev"]?.status == .warn)
        try tree.file("proc/devices", "Character devices:\n 10 misc\n251 vfio-dev\n252 vfio\n")
        #expect(Self.run(HostRoot(tree.root), dev: try TempTree())["device-cdev"]?.status == .pass)
    }

    @Test(arguments: [
        (MemlockLimit(soft: 8 << 20, hard: 8 << 20), HostCheck.Status.fail),
        (MemlockLimit(soft: 8 << 20, hard: nil), .warn),
        (MemlockLimit(soft: 2 << 30, hard: 2 << 30), .pass),
        (MemlockLimit(soft: nil, hard: nil), .pass),
    ])
    func memlockIsJudgedAgainstThePlannedMemory(limit: MemlockLimit, expected: HostCheck.Status) throws {
        let tree = try Self.host()
        let user = ProcessPrivileges(isRoot: false, canLockMemory: false)
        let check = Self.run(HostRoot(tree.root), dev: try TempTree(), privileges: user, memlock: limit)["memlock"]
        #expect(check?.status == expected)
        let held = Self.run(HostRoot(tree.root), dev: try TempTree(), memlock: limit)["memlock"]
        #expect(held?.status == .pass, "CAP_IPC_LOCK lifts the limit")
    }

    @Test func noHugePagesReservedWarns() throws {
        let tree = try Self.host()
        try tree.file("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "0\n")
        try tree.file("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "0\n")
        try tree.file("sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "0\n")
        try tree.file("sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages", "0\n")
        let check = try #require(Self.run(HostRoot(tree.root), dev: try TempTree())["hugepages"])
        #expect(check.status == .warn)
        #expect(check.summary.hasPrefix("no huge pages reserved"))
        #expect(check.evidence.count == 3)
    }

    @Test func loweredDMAEntryLimitWarns() throws {
        let tree = try Self.host()
        try tree.file("sys/module/vfio_iommu_type1/parameters/dma_entry_limit", "1024\n")
        #expect(Self.run(HostRoot(tree.root), dev: try TempTree())["dma-entry-limit"]?.status == .warn)
    }
}
