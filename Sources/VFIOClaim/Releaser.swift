import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// Gives claimed groups back: every member to its recorded driver and
/// `driver_override`, every node to its recorded owner, from the journal,
/// after a crash as well. Without a journal it clears overrides and reprobes.
public struct Releaser: Sendable {
    public struct Outcome: Sendable {
        public enum Result: String, Sendable {
            /// Put back as the journal recorded it.
            case released
            /// No journal: overrides cleared and the kernel left to pick drivers.
            case reset
            /// Nothing held and nothing to put back.
            case unchanged
            /// A process holds the group; nothing written.
            case refused
        }

        public let group: IOMMUGroupID
        public let result: Result
        public let writes: [SysfsWrite]
        /// Processes holding the group's nodes (refused unless `--force`).
        public let hazards: [Hazard]
        public let warnings: [String]
        /// Nodes whose recorded ownership was put back.
        public let nodes: [String]
    }

    public struct Report: Sendable {
        public let groups: [Outcome]
        public let lockWaitSeconds: Double

        public var succeeded: Bool { groups.allSatisfy { $0.result != .refused } }
    }

    let paths: HostPaths
    let writer: any AttributeWriter
    /// Reports a write that does not return in time (an unbind waiting for a VMM).
    let watch: WriteWatch?

    public init(paths: HostPaths, writer: any AttributeWriter = KernelAttributeWriter(), watch: WriteWatch? = nil) {
        self.paths = paths
        self.writer = writer
        self.watch = watch
    }

    private var reader: SysfsReader { SysfsReader(root: paths.root) }
    private var store: JournalStore { JournalStore(paths: paths) }

    public func run(groups: [IOMMUGroupID], force: Bool) throws(ClaimError) -> Report {
        let lock = try StateLock(paths)
        let holders = groups.map { group in (group, openNodeHazards(group)) }
        if !force, holders.contains(where: { !$0.1.isEmpty }) {
            return Report(groups: holders.map { group, hazards in
                Outcome(group: group, result: hazards.isEmpty ? .unchanged : .refused, writes: [], hazards: hazards,
                        warnings: [], nodes: [])
            }, lockWaitSeconds: lock.waited)
        }
        var writer = JournalledWriter(store: store, writer: writer, afterWrite: nil, watch: watch)
        var outcomes: [Outcome] = []
        for (group, hazards) in holders {
            if let journal = try store.load(group) {
                let nodes = try restoreNodes(journal)
                let writes = try Restorer(paths: paths, reader: reader).restore(journal, with: &writer)
                outcomes.append(Outcome(group: group, result: .released, writes: writes, hazards: hazards,
                                        warnings: [], nodes: nodes))
            } else {
                outcomes.append(try reset(group, hazards: hazards))
            }
        }
        return Report(groups: outcomes, lockWaitSeconds: lock.waited)
    }

    /// Without a journal: members on a VFIO driver or with a VFIO override lose both, and the kernel reprobes them.
    private func reset(_ group: IOMMUGroupID, hazards: [Hazard]) throws(ClaimError) -> Outcome {
        var writes: [SysfsWrite] = []
        var warnings: [String] = []
        let claimed = reader.group(group).devices.filter { device in
            device.driver?.isVFIO == true || device.driverOverride.flatMap(DriverName.init(rawValue:))?.isVFIO == true
        }
        for device in claimed {
            let address = device.address
            var steps: [SysfsWrite] = []
            if let driver = device.driver, driver.isVFIO {
                steps.append(SysfsWrite(device: address, path: paths.unbind(driver), value: address.description))
            }
            if device.driverOverride != nil {
                steps.append(SysfsWrite(device: address, path: paths.driverOverride(address), value: "\n"))
            }
            if device.driver == nil || device.driver?.isVFIO == true {
                steps.append(SysfsWrite(device: address, path: paths.root.driversProbe, value: address.description))
            }
            writes += try writer.performAll(steps, probe: paths.root.driversProbe)
            let now = reader.device(address)
            warnings.append("\(address): no journal in \(paths.state), so its original driver was not recorded; "
                + "cleared driver_override and reprobed: now on \(now.driver?.rawValue ?? "no driver")")
        }
        return Outcome(group: group, result: writes.isEmpty ? .unchanged : .reset, writes: writes, hazards: hazards,
                       warnings: warnings, nodes: [])
    }

    /// Puts back the nodes `--owner` changed. `/dev/iommu` is shared: while another
    /// claim with an owner remains, its record moves to that journal instead.
    private func restoreNodes(_ journal: Journal) throws(ClaimError) -> [String] {
        var nodes = journal.nodes
        if let shared = nodes.firstIndex(where: { $0.path == paths.root.iommu }),
           var heir = try store.all().first(where: { $0.group != journal.group && $0.owner != nil }) {
            if !heir.nodes.contains(where: { $0.path == paths.root.iommu }) { heir.nodes.append(nodes[shared]) }
            try store.save(heir)
            nodes.remove(at: shared)
        }
        try NodeOwnership(paths: paths).restore(nodes)
        return nodes.map(\.path).filter(FileSystem.exists)
    }

    private func openNodeHazards(_ group: IOMMUGroupID) -> [Hazard] {
        OpenNodes.hazards(reader.group(group), paths: paths) { holder in
            "stop \(holder) first; with --force the kernel asks it to release the device and the unbind waits until it does"
        }
    }
}
