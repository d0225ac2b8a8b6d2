import ArgumentParser
import VFIOSysfs

extension VFIOAdm {
    struct Check: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether groups can be handed to userspace, why not, and what would fix it.",
            discussion: "Exits 0 when every group named is viable, 2 when any is not, 69 when there is no IOMMU.")

        static let readsBundles = true

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("IOMMU group numbers or PCI addresses (an address means its group).",
                                     valueName: "group|address"))
        var arguments: [String]

        func validate() throws {
            _ = try Target.parseAll(arguments)
        }

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            var resolved: [(Target, IOMMUGroupID?, PCIDevice?)] = []
            let (targets, selectors) = try Target.all(arguments, reader: reader, .any)
            for target in targets {  // every target is checked before any is reported
                let (group, device) = try target.resolve(reader)
                resolved.append((target, group, device))
            }
            let hasGroups = (try? reader.groupIDs().get())?.isEmpty == false
            let results = resolved.map { target, group, device in
                let verdict: Verdict =
                    if let group { Verdict.of(reader.group(group)) }
                    else if let device, hasGroups { .noGroup(device.address) }
                    else { .noIOMMU }
                return CheckReport.Result(target: target.description, group: group, verdict: Verdict.JSON(value: verdict))
            }
            let report = CheckReport(viable: results.allSatisfy(\.verdict.value.isViable), results: results)
            return CommandOutput(text: report.render(), json: report, status: Self.status(results),
                                 selectors: selectors)
        }

        static func status(_ results: [CheckReport.Result]) -> ExitStatus {
            if results.allSatisfy(\.verdict.value.isViable) { return .success }
            if results.contains(where: { $0.verdict.value.status == .noIOMMU }) { return .unavailable }
            return .notViable
        }
    }
}
