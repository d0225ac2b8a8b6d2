import SysfsTestSupport
import Testing
@testable import VFIOHost
import VFIOCore

/// The parsers of the host-wide files `doctor` reads, on text as the kernel writes it.
@Suite struct HostFileParsingTests {
    @Test func commandLineSplitsLikeTheKernelAndAppliesOptionsInOrder() {
        let line = KernelCommandLine("root=/dev/sda1 ro quiet intel_iommu=on,sm_on iommu=pt "
            + "dyndbg=\"file vfio.c +p\" intel-iommu=off vfio.enable_unsafe_noiommu_mode=1\n")
        #expect(line.last("dyndbg")?.value == "file vfio.c +p")
        #expect(line.last("ro")?.text == "ro")
        #expect(line.options("intel_iommu") == ["on", "sm_on", "off"])
        #expect(line.iommuParameters.map(\.text)
            == ["intel_iommu=on,sm_on", "iommu=pt", "intel-iommu=off", "vfio.enable_unsafe_noiommu_mode=1"])
        #expect(line.options("amd_iommu").isEmpty)
    }

    @Test func interruptTableFindsTheChipColumnAndTheRemappingOnes() {
        let text = """
                       CPU0       CPU1
              0:         42          0  IR-IO-APIC   2-edge      timer
             24:          0          0  DMAR-MSI   0-edge      dmar0
             25:          5          0  IR-PCI-MSIX-0000:00:04.0    0-edge      eth0
             26:          1          3  PCI-MSI-0000:00:01.0    0-edge      AMD-Vi
             27:          0          0  IR-IO-APIC   9-fasteoi   acpi
            NMI:          0          0   Non-maskable interrupts
            ERR:          0
            """
        let table = InterruptTable(parsing: text)
        #expect(table.chips == ["IR-IO-APIC", "DMAR-MSI", "IR-PCI-MSIX-0000:00:04.0", "PCI-MSI-0000:00:01.0", "IR-IO-APIC"])
        #expect(table.remappingChips == ["IR-IO-APIC", "IR-PCI-MSIX-0000:00:04.0"])
    }

    @Test func registeredDevicesReadsOnlyTheCharacterSection() {
        let text = "Character devices:\n  1 mem\n 10 misc\n251 vfio-dev\n252 vfio\n\nBlock devices:\n259 blkext\n  7 loop\n"
        let devices = RegisteredDevices(parsing: text)
        #expect(devices.characterMajors == ["mem": 1, "misc": 10, "vfio-dev": 251, "vfio": 252])
    }

    @Test(arguments: [
        ("kernel/drivers/vfio/pci/vfio-pci.ko: kernel/drivers/vfio/vfio.ko", "vfio_pci", true),
        ("kernel/drivers/vfio/pci/vfio-pci.ko.xz:", "vfio_pci", true),
        ("kernel/drivers/vfio/pci/vfio-pci-core.ko: kernel/drivers/vfio/vfio.ko", "vfio_pci", false),
        ("kernel/drivers/vfio/vfio.ko", "vfio", true),
        ("kernel/drivers/vfio/vfio_iommu_type1.ko:", "vfio", false),
    ])
    func moduleListsMatchWholeNamesWithDashesAsUnderscores(line: String, name: String, listed: Bool) {
        #expect(KernelModule.lists(line + "\n", name) == listed)
    }

    @Test(arguments: [
        ("Name:\tbash\nCapEff:\t000001ffffffffff\n", true),
        ("CapInh:\t0000000000000000\nCapEff:\t0000000000000000\n", false),
        ("CapEff:\t0000000000004000\n", true),
        ("Name:\tbash\n", nil),
    ] as [(String, Bool?)])
    func ipcLockIsBit14OfTheEffectiveSet(status: String, held: Bool?) {
        #expect(ProcessPrivileges.ipcLock(inStatus: status) == held)
    }

    @Test func taintUserIsBit6() {
        #expect(KernelTaint(mask: 64).user)
        #expect(!KernelTaint(mask: 4096 | 1).user)
    }
}
