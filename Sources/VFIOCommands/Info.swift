import Glibc
import ArgumentParser
import LinuxSystem
import VFIOCore
import VFIOHost
import VFIOSysfs

extension VFIOAdm {
    struct Info: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a vfio-pci device's regions, IRQs, reset support and cdev, as its device fd reports them.",
            discussion: """
            The device must be bound to vfio-pci and its group viable (else exit 2, as for probe). It is \
            opened through its cdev and iommufd when it has one, else through its group with type1v2.
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var nodes: DeviceNodeOptions

        @Argument(help: ArgumentHelp("The device's PCI address, or a selector naming one function (net:IFACE, "
                                         + "block:NAME, id:VVVV:DDDD).", valueName: "device"))
        var address: String

        func validate() throws {
            guard PCIAddress(address) != nil || DeviceSelector(address) != nil else {
                throw ValidationError("\(address.debugDescription) is not a PCI address (DDDD:BB:DD.F or BB:DD.F) "
                    + "or a selector (net:IFACE, block:NAME, id:VVVV:DDDD)")
            }
        }

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            let (parsed, selectors) = try Target.single(address, reader: reader)
            guard case .device = parsed else { throw .usage("bad-target", "\(address) is not a PCI address") }
            let prepared = try VFIOTarget.prepare(parsed, reader: reader, root: nodes.root(global))
            let cdev: DeviceCdev?
            do {
                cdev = try DeviceCdev.locate(prepared.address, root: nodes.root(global))
            } catch {
                throw failure(error, prepared)
            }
            let mode: Mode = cdev != nil ? .iommufd : .type1v2
            do {
                let session = try DMASession.open(prepared.address, mode: mode, root: nodes.root(global))
                let info = try session.device.info()
                let regions = try session.device.regions()
                var irqs: [IRQInfo] = []
                for index in 0..<info.irqCount {
                    do {
                        irqs.append(try session.device.irqInfo(IRQIndex(rawValue: index)))
                    } catch where error.errno.rawValue == EINVAL {
                        continue  // ERR on a conventional PCI device
                    }
                }
                let report = InfoReport(
                    device: prepared.address, group: prepared.group, openedWith: mode.rawValue,
                    cdev: cdev.map { .init(name: $0.name, path: $0.path, number: $0.number.description) },
                    flags: InfoReport.flagNames(info.flags), reset: info.flags.contains(.reset),
                    regions: regions.map(InfoReport.Region.init), irqs: irqs.map(InfoReport.IRQ.init),
                    problems: info.problems + regions.flatMap(\.problems),
                    lifecycle: DeviceLifecycle.JSON(value: DeviceLifecycle.read(prepared.address, reader: reader)))
                return CommandOutput(text: report.render(), json: report, status: .success, selectors: selectors)
            } catch {
                throw failure(error, prepared)
            }
        }

        private func failure(_ error: VFIOError, _ target: VFIOTarget) -> CommandFailure {
            CommandFailure.vfio(error, context: DiagnosisContext(root: nodes.root(global),
                                                                 group: target.group, device: target.address))
        }
    }
}

extension CommandFailure {
    /// A failed VFIO call: its rendering and ErrorAdvice's explanation. EACCES
    /// or EPERM opening a node → 77; a missing `/dev/vfio/vfio` or `/dev/iommu` → 69; else 1.
    static func vfio(_ error: VFIOError, context: DiagnosisContext) -> CommandFailure {
        let code = error.errno.rawValue
        let status: ExitStatus =
            if error.operation == .open && (code == EACCES || code == EPERM) { .permission }
            else if error.operation == .open && code == ENOENT
                && [context.root.container, context.root.iommu].contains(error.path) {
                .unavailable
            } else { .failure }
        var message = error.description
        if let advice = ErrorAdvice.explain(error, context: context) { message += "\n" + advice }
        return CommandFailure(status, code: "vfio-call", message, path: error.path, errno: error.errno)
    }
}
