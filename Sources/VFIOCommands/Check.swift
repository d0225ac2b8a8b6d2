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

        struct Result: Encodable, Sendable {
            /// The argument as given, canonicalised.
            let target: String
            let group: IOMMUGroupID?
            let verdict: Verdict
        }

        struct Report: Encodable, Sendable {
            let schemaVersion = 1
            let viable: Bool
            let results: [Result]
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
                return Result(target: target.description, group: group, verdict: verdict)
            }
            let report = Report(viable: results.allSatisfy(\.verdict.isViable), results: results)
            return CommandOutput(text: Self.render(report), json: report, status: Self.status(results),
                                 selectors: selectors)
        }

        static func status(_ results: [Result]) -> ExitStatus {
            if results.allSatisfy(\.verdict.isViable) { return .success }
            if results.contains(where: { $0.verdict.status == .noIOMMU }) { return .unavailable }
            return .notViable
        }

        static func render(_ report: Report) -> String {
            report.results.flatMap { result in
                let heading = switch result.group {
                case .some where result.target.hasPrefix("group"): result.target
                case .some(let group): "\(result.target) (group \(group))"
                case .none: result.target
                }
                return ["\(heading): \(result.verdict.status.rawValue)"] + TextLayout.reasons(result.verdict)
            }.joined(separator: "\n")
        }
    }
}
