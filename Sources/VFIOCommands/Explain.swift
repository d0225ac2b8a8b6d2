import ArgumentParser
import VFIOSysfs

extension VFIOAdm {
    struct Explain: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain why each device is in its IOMMU group, and what would split the group.",
            discussion: """
            Applies the kernel's grouping rules (pci_device_group, pci_acs_enabled) to config space and the \
            sysfs topology: each device's bridges up to the root complex with their port type and ACS, DMA \
            aliases, multifunction siblings and the DMA-alias quirks vfioadm knows. The members those rules \
            predict are checked against the kernel's group, and any difference is reported. Without root only \
            the first 64 bytes of config space are readable: the report says so and assumes the worst of what \
            it cannot see. Exits 0 when it has explained, 69 when there is no IOMMU.
            """)

        static let readsBundles = true

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("An IOMMU group number, a PCI address or a selector naming one function "
                                         + "(net:IFACE, block:NAME, id:VVVV:DDDD); a device means its group.",
                                     valueName: "target"))
        var target: String

        func validate() throws {
            _ = try Target.parseAll([target])
        }

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            let (parsed, selectors) = try Target.single(target, reader: reader)
            if case .device = parsed { try parsed.requireExists(reader) }
            guard (try? reader.groupIDs().get())?.isEmpty == false else {
                let reason = Verdict.noIOMMU.reasons[0]
                throw CommandFailure(.unavailable, code: "no-iommu",
                                     "\(reason.message), so there is no grouping to explain; fix: \(reason.fix)")
            }
            try parsed.requireExists(reader)

            let topology = reader.topology()
            let formation = GroupFormation(topology)
            let explanation: GroupExplanation
            switch parsed {
            case .group(let id):
                guard let group = topology.groups[id] else {
                    throw .usage("no-such-group", "no IOMMU group \(id): \(reader.root.group(id)) does not exist")
                }
                explanation = GroupExplanation(group: group, formation: formation)
            case .device(let address):
                if let id = topology.functions[address]?.device.iommuGroup, let group = topology.groups[id] {
                    explanation = GroupExplanation(group: group, formation: formation)
                } else {
                    explanation = GroupExplanation(ungrouped: address, formation: formation)
                }
            case .selector(let selector):
                throw CommandFailure(.failure, code: "internal", "\(selector) was not resolved before use")
            }
            let report = ExplainReport(target: parsed, explanation: explanation, root: reader.root)
            return CommandOutput(text: report.render(), json: report, status: .success, selectors: selectors)
        }
    }
}
