import ArgumentParser

/// The `vfioadm` root command.
public struct VFIOAdm: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vfioadm",
        abstract: "Hand PCI devices to userspace safely through VFIO and iommufd.",
        discussion: """
        vfioadm lists IOMMU groups, tells whether each can be given to userspace and why not, \
        following the kernel's own DMA-ownership rule.

        EXIT STATUS
          0   success; for check, every group named is viable
          1   any other failure (an I/O error, a kernel call that failed)
          2   check: a group is not viable or is unassignable
          64  usage: a bad argument, or an address, group or driver that does not exist
          69  no IOMMU, or VFIO is unavailable
          77  permission denied

        FILES
          /sys/kernel/iommu_groups/N/{devices,type,reserved_regions}
          /sys/bus/pci/devices/DDDD:BB:DD.F/{vendor,device,class,driver,driver_override,iommu_group,config}
          /usr/share/misc/pci.ids, /usr/share/hwdata/pci.ids (device names)

        EXAMPLES
          vfioadm list
          vfioadm list --class 02 --json
          vfioadm check 0000:03:00.0
          vfioadm check 12 13 --json
          vfioadm --sysfs-root ./capture list
        """,
        version: VFIOAdmVersion.current,
        subcommands: [List.self, Check.self])

    @OptionGroup var global: GlobalOptions

    public init() {}
}

enum VFIOAdmVersion {
    static let current = "0.1.0"
}
