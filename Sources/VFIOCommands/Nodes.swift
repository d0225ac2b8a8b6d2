import ArgumentParser
import VFIOClaim
import VFIOCore
import VFIOSysfs

extension VFIOAdm {
    struct Nodes: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the device nodes a VMM opens for held devices, or the arguments that hand them over.",
            discussion: """
            For each device (a group means its members on a VFIO driver): the group node /dev/vfio/N and the \
            container /dev/vfio/vfio (legacy backend), the device cdev /dev/vfio/devices/vfioX and /dev/iommu \
            (iommufd backend), with owner and mode. --qemu prints only the arguments to append to a QEMU \
            command line (-device vfio-pci,host=... per device, as QEMU 7.2 takes them); --qemu --iommufd the \
            iommufd backend (QEMU 9+); --libvirt one <hostdev> element per device. A device whose group is not \
            held (not viable, or the device not on vfio-pci) exits 2 with the claim that fixes it.
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var nodes: DeviceNodeOptions

        @Argument(help: ArgumentHelp("IOMMU group numbers, PCI addresses or selectors (net:IFACE, block:NAME, "
                                         + "id:VVVV:DDDD).", valueName: "target"))
        var arguments: [String]

        @Flag(help: "Print only the QEMU arguments that add the devices, on one line.")
        var qemu = false

        @Flag(help: "With --qemu: the iommufd backend (-object iommufd, QEMU 9+) instead of the group backend.")
        var iommufd = false

        @Flag(help: "Print a libvirt <hostdev managed='no'> element per device.")
        var libvirt = false

        func validate() throws {
            _ = try Target.parseAll(arguments)
            if iommufd && !qemu { throw ValidationError("--iommufd goes with --qemu") }
            if qemu && libvirt { throw ValidationError("--qemu and --libvirt print different formats: pick one") }
        }

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            let (targets, selectors) = try Target.all(arguments, reader: reader, .any)
            var devices: [Target] = []
            for target in targets {
                guard case .group(let id) = target else {
                    devices.append(target)
                    continue
                }
                try target.requireExists(reader)
                let members = reader.group(id).devices.filter { !$0.isBridge }
                devices += members.map { Target.device($0.address) }
            }
            let finder = VMMNodes(paths: HostPaths(root: nodes.root(global)))
            var handOffs: [DeviceHandOff] = []
            for device in devices {
                let prepared = try VFIOTarget.prepare(device, reader: reader, root: nodes.root(global))
                guard !handOffs.contains(where: { $0.address == prepared.address }) else { continue }
                handOffs.append(finder.handOff(reader.device(prepared.address), group: prepared.group))
            }
            let report = NodesReport(handOffs)
            let text = qemu ? (iommufd ? report.qemuIOMMUFD : report.qemuGroup) : libvirt ? report.libvirt : report.render()
            return CommandOutput(text: text, json: report, status: .success, selectors: selectors)
        }
    }
}
