import Glibc
import ArgumentParser
import VFIOCore
import VFIOSysfs

/// The modes `probe --mode` accepts: one of the four, or all of them.
enum ModeChoice: String, CaseIterable, Sendable, ExpressibleByArgument {
    case type1
    case type1v2
    case iommufdCompat = "iommufd-compat"
    case iommufd
    case all

    var modes: [Mode] {
        switch self {
        case .type1: [.type1]
        case .type1v2: [.type1v2]
        case .iommufdCompat: [.iommufdCompat]
        case .iommufd: [.iommufd]
        case .all: Mode.allCases
        }
    }
}

extension VFIOAdm {
    struct Probe: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a vfio-pci device in each VFIO mode, map a buffer for DMA, verify it and unmap it.",
            discussion: """
            The device (or, for a group, its first member bound to vfio-pci) must already be bound to \
            vfio-pci. Before anything is opened, a group that is not viable is refused with the reasons (exit \
            2), as is a device not bound to vfio-pci (exit 2, with the writes that bind it); a no-IOMMU group \
            exits 69. Then, for each mode: open the group or cdev, report the IOMMU type, extensions, IOVA \
            ranges, page sizes, DMA entries available and (iommufd) the IOMMU hardware, map a buffer of \
            --size bytes, verify the kernel holds the mapping, unmap it and close, timing each step with the \
            monotonic clock. Exits 0 when every mode works, 1 when a kernel call failed (with the error and \
            what to do), 69 when a mode is unavailable on this kernel, 77 when a node is not accessible.
            """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var nodes: DeviceNodeOptions

        @Argument(help: ArgumentHelp("An IOMMU group number, a PCI address or a selector naming one function "
                                         + "(net:IFACE, block:NAME, id:VVVV:DDDD).", valueName: "target"))
        var target: String

        @Option(help: "The mode to probe: type1, type1v2, iommufd-compat, iommufd, or all four.")
        var mode: ModeChoice = .all

        @Option(help: ArgumentHelp("Bytes to map: a multiple of the page size; K, M, G suffixes are powers of 1024.",
                                   valueName: "BYTES"))
        var size = ByteSize(bytes: 1 << 20)

        func validate() throws {
            _ = try Target.parseAll([target])
            let page = UInt64(max(4096, sysconf(Int32(_SC_PAGESIZE))))
            guard size.bytes > 0, size.bytes % page == 0 else {
                throw ValidationError("--size \(size.bytes) must be a positive multiple of the \(page)-byte page size")
            }
        }

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            let (parsed, selectors) = try Target.single(target, reader: reader)
            let prepared = try VFIOTarget.prepare(parsed, reader: reader, root: nodes.root(global))
            let runner = ProbeRunner(target: prepared, size: size.bytes, root: nodes.root(global))
            let results = mode.modes.map(runner.run)
            let report = ProbeReport(device: prepared.address, group: prepared.group, size: size.bytes,
                                     ok: results.allSatisfy { $0.outcome == .ok }, modes: results)
            return CommandOutput(text: report.render(), json: report, status: report.status, selectors: selectors)
        }
    }
}
