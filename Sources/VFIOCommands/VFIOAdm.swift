import ArgumentParser

/// The `vfioadm` root command.
public struct VFIOAdm: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vfioadm",
        abstract: "Hand PCI devices to userspace safely through VFIO and iommufd.",
        discussion: """
        vfioadm lists IOMMU groups, tells whether each can be given to userspace and why not, \
        following the kernel's own DMA-ownership rule, and proves a vfio-pci device usable by mapping \
        memory for it in each VFIO mode (type1, type1v2, iommufd-compat, iommufd), and claims whole groups for \
        vfio-pci and gives them back exactly, with a journal that survives a crash, and prints the nodes and \
        the QEMU or libvirt arguments that hand a claimed device to a VMM. Targets are IOMMU group numbers, \
        PCI addresses, or selectors: net:IFACE, block:NAME, id:VVVV:DDDD.

        EXIT STATUS
          0   success; for check, every group named is viable; claim, release: done
              or unchanged
          1   any other failure (an I/O error, a kernel call that failed, a write
              past --timeout; a failed claim is rolled back)
          2   check: a group is not viable or is unassignable; probe, info: the same,
              or the device is not bound to vfio-pci (refused before anything is
              opened); claim: the group is unassignable (a firmware direct region,
              even with --force); status: a held group has drifted; doctor: a check
              failed
          3   claim, release: refused for safety (a mount, swap, loop or holder on
              the device, network use, an open node, VFs); --force overrides all but
              the root file system, the state directory's file system and a console
          64  usage: a bad argument, or an address, group or driver that does not
              exist
          69  no IOMMU, or VFIO is unavailable; probe: a no-IOMMU group, or a mode
              this kernel lacks
          77  permission denied; claim and release without root

        FILES
          Groups and devices (every command):
            /sys/kernel/iommu_groups/N/{devices,type,reserved_regions}
            /sys/bus/pci/devices/DDDD:BB:DD.F/{vendor,device,class,driver}
            /sys/bus/pci/devices/DDDD:BB:DD.F/{driver_override,iommu_group,config}
            /usr/share/misc/pci.ids, /usr/share/hwdata/pci.ids (device names)
          The bridges between each device and the root complex (explain):
            /sys/devices/pciDDDD:BB/...
          The net: and block: selectors:
            /sys/class/net/IFACE, /sys/class/block/NAME/{slaves,multipath}
          VFIO nodes (probe, info):
            /dev/vfio/vfio, /dev/vfio/N, /dev/vfio/noiommu-N, /dev/iommu
            /dev/vfio/devices/vfioX
          Binding (claim, release):
            /sys/bus/pci/devices/DDDD:BB:DD.F/driver_override
            /sys/bus/pci/drivers/NAME/{bind,unbind}, /sys/bus/pci/drivers_probe
          Claim's safety checks:
            /proc/self/mountinfo, /proc/swaps, /proc/PID/fd, /dev/loopN
            /proc/net/{route,ipv6_route,if_inet6,tcp,tcp6}
            /sys/dev/{block,char}, /sys/class/{block,net,vtconsole,iscsi_connection}
            /sys/class/tty/console/active, /sys/bus/virtio/devices, /sys/fs/virtiofs
          Variant drivers (claim --driver auto):
            /lib/modules/RELEASE/modules.alias
          The journals and the lock (--state-dir):
            /run/vfioadm/group-N.json, /run/vfioadm/lock
          Persistent claims (--config-dir):
            /etc/vfioadm/claims/ADDRESS.conf, /etc/vfioadm/sriov/PF.conf
          Their boot path (persist install; the package's, which /etc overrides):
            /etc/udev/rules.d/70-vfioadm.rules
            /etc/systemd/system/vfioadm-apply.service
            /usr/lib/udev/rules.d/70-vfioadm.rules
            /lib/systemd/system/vfioadm-apply.service
          Host checks (doctor):
            /sys/firmware/acpi/tables, /sys/class/iommu, /sys/module
            /sys/kernel/mm/hugepages, /proc/cmdline, /proc/interrupts, /proc/devices
            /proc/sys/kernel/tainted, /lib/modules/RELEASE

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
          vfioadm claim 0000:03:00.0 --dry-run
          vfioadm claim 12 --owner qemu
          vfioadm status
          vfioadm release 12
          vfioadm doctor
          vfioadm doctor --memory 16G --json
          vfioadm capture host.tar.gz
          vfioadm --sysfs-root host.tar.gz check 12
        """,
        version: VFIOAdmVersion.current,
        subcommands: [List.self, Check.self, Explain.self, Probe.self, Info.self, Claim.self, Release.self, Status.self, Apply.self, Persist.self, Nodes.self, SRIOV.self,
                      Doctor.self, Capture.self])

    @OptionGroup var global: GlobalOptions

    public init() {}
}

/// The one place the version is written: `Scripts/package` names the Debian
/// package after what `vfioadm --version` prints.
enum VFIOAdmVersion {
    static let current = "0.1.0"
}
