import ArgumentParser

/// The `vfioadm` root command.
public struct VFIOAdm: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vfioadm",
        abstract: "Hand PCI devices to userspace safely through VFIO and iommufd.",
        discussion: """
        vfioadm lists IOMMU groups, tells whether each can be given to userspace and why not, \
        following the kernel's own DMA-ownership rule, and proves a vfio-pci device usable by mapping \
        memory for it in each VFIO mode (type1, type1v2, iommufd-compat, iommufd).

        EXIT STATUS
          0   success; for check, every group named is viable
          1   any other failure (an I/O error, a kernel call that failed)
          2   check: a group is not viable or is unassignable; probe, info: the same, or the device is not
              bound to vfio-pci (refused before anything is opened)
          64  usage: a bad argument, or an address, group or driver that does not exist
          69  no IOMMU, or VFIO is unavailable; probe: a no-IOMMU group, or a mode this kernel lacks
          77  permission denied

        FILES
          /sys/kernel/iommu_groups/N/{devices,type,reserved_regions}
          /sys/bus/pci/devices/DDDD:BB:DD.F/{vendor,device,class,driver,driver_override,iommu_group,config}
          /sys/devices/pciDDDD:BB/... (explain: the bridges between each device and the root complex)
          /usr/share/misc/pci.ids, /usr/share/hwdata/pci.ids (device names)
          /dev/vfio/vfio, /dev/vfio/N, /dev/vfio/noiommu-N, /dev/vfio/devices/vfioX, /dev/iommu (probe, info)

        EXAMPLES
          vfioadm list
          vfioadm list --class 02 --json
          vfioadm check 0000:03:00.0
          vfioadm check 12 13 --json
          vfioadm explain 0000:03:00.0
          vfioadm explain 12 --json
          vfioadm --sysfs-root ./capture list
          vfioadm probe 0000:03:00.0
          vfioadm probe 12 --mode iommufd --size 2M --json
          vfioadm info 0000:03:00.0
        """,
        version: VFIOAdmVersion.current,
        subcommands: [List.self, Check.self, Explain.self, Probe.self, Info.self])

    @OptionGroup var global: GlobalOptions

    public init() {}
}

enum VFIOAdmVersion {
    static let current = "0.1.0"
}
