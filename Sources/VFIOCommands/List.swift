import ArgumentParser
import VFIOSysfs

extension VFIOAdm {
    struct List: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "List IOMMU groups with their devices, reserved regions and verdicts.",
            discussion: """
            Filters combine: a group is shown when one of its devices matches every filter given.
            """)

        static let readsBundles = true

        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("group"), help: ArgumentHelp("Only this group (repeatable).", valueName: "N"))
        var groups: [String] = []

        @Option(name: .customLong("device"), help: ArgumentHelp("Only the group of this device (repeatable).", valueName: "BDF"))
        var devices: [String] = []

        @Option(name: .customLong("driver"), help: ArgumentHelp("Only groups with a device on this driver; 'none' for unbound (repeatable).", valueName: "NAME"))
        var drivers: [String] = []

        @Option(name: .customLong("class"), help: ArgumentHelp("Only groups with a device of this class: 2, 4 or 6 hex digits, e.g. 02 or 0108 (repeatable).", valueName: "HEX"))
        var classes: [String] = []

        @Flag(help: "Also each device's reset methods, power state, NUMA node, CPUs and PCIe link (more files per device).")
        var wide = false

        func validate() throws {
            _ = try filter()
        }

        /// Parses every filter strictly; the first bad one is a usage error naming it.
        func filter() throws -> ListFilter {
            var filter = ListFilter()
            for text in groups {
                guard let id = IOMMUGroupID(text) else { throw ValidationError("--group \(text.debugDescription): not a group number") }
                filter.groups.insert(id)
            }
            for text in devices {
                guard let address = PCIAddress(text) else {
                    throw ValidationError("--device \(text.debugDescription): not a PCI address (DDDD:BB:DD.F or BB:DD.F)")
                }
                filter.addresses.insert(address)
            }
            for text in drivers {
                guard text == "none" || DriverName(rawValue: text) != nil else {
                    throw ValidationError("--driver \(text.debugDescription): not a driver name")
                }
                filter.drivers.insert(text)
            }
            for text in classes {
                guard let prefix = ClassPrefix(text) else {
                    throw ValidationError("--class \(text.debugDescription): give 2, 4 or 6 hex digits, e.g. 02 or 0108")
                }
                filter.classPrefixes.append(prefix)
            }
            return filter
        }

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            let filter: ListFilter
            do { filter = try self.filter() } catch { throw .usage("bad-filter", "\(error)") }
            for target in filter.addresses.sorted().map(Target.device) + filter.groups.sorted().map(Target.group) {
                try target.requireExists(reader)
            }

            let snapshot = reader.snapshot()
            if let problem = snapshot.problems.first, snapshot.groups.isEmpty, snapshot.ungroupedDevices.isEmpty {
                throw .sysfs(problem)
            }
            let groups = snapshot.groups.filter(filter.keeps)
            let ungrouped = snapshot.ungroupedDevices.filter { filter.isEmpty || (filter.groups.isEmpty && filter.keeps($0)) }
            let names = PCIIDs.forDevices(groups.map(\.devices) + [ungrouped], root: reader.root)
            let report = ListReport(
                sysfsRoot: reader.root.path,
                iommu: snapshot.hasIOMMU,
                verdict: snapshot.hasIOMMU ? nil : Verdict.JSON(value: .noIOMMU),
                groups: parallelMap(groups) { [wide] group in
                    GroupReport(group, names: names) { wide ? DeviceLifecycle.read($0, reader: reader) : nil }
                },
                ungroupedDevices: ungrouped.map { device in
                    DeviceReport(device, names: names,
                                 lifecycle: wide ? DeviceLifecycle.read(device.address, reader: reader) : nil)
                },
                problems: JSONArray(values: snapshot.problems))
            return CommandOutput(text: report.render(), json: report,
                                 status: snapshot.hasIOMMU ? .success : .unavailable)
        }
    }
}
