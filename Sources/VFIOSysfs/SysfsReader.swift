import Glibc
import LinuxSystem

/// Reads groups and devices under a `HostRoot`: everything for `list`, or
/// only the groups asked for.
public struct SysfsReader: Sendable {
    public let root: HostRoot

    public init(root: HostRoot) {
        self.root = root
    }

    /// The groups under `/sys/kernel/iommu_groups`, sorted; empty when the
    /// directory is missing (no IOMMU driver).
    public func groupIDs() -> Result<[IOMMUGroupID], AttributeProblem> {
        switch AttributeFile.list(root.iommuGroups).problem(root.iommuGroups) {
        case .success(let names): .success(names.compactMap(IOMMUGroupID.init).sorted())
        case .failure(let problem) where problem.errno.rawValue == ENOENT: .success([])
        case .failure(let problem): .failure(problem)
        }
    }

    /// The PCI addresses under `/sys/bus/pci/devices`, sorted.
    public func deviceAddresses() -> Result<[PCIAddress], AttributeProblem> {
        switch AttributeFile.list(root.pciDevices).problem(root.pciDevices) {
        case .success(let names): .success(names.compactMap(PCIAddress.init).sorted())
        case .failure(let problem) where problem.errno.rawValue == ENOENT: .success([])
        case .failure(let problem): .failure(problem)
        }
    }

    public func groupExists(_ id: IOMMUGroupID) -> Bool {
        AttributeFile.exists(root.group(id))
    }

    public func deviceExists(_ address: PCIAddress) -> Bool {
        AttributeFile.exists(root.device(address))
    }

    /// One device's attributes.
    public func device(_ address: PCIAddress) -> PCIDevice {
        DeviceReader.read(address, root: root)
    }

    /// One group with all its members read.
    public func group(_ id: IOMMUGroupID) -> IOMMUGroup {
        let (group, addresses) = groupShell(id)
        return filled(group, devices: addresses.map(device))
    }

    /// The group's own files and member names, without reading the members;
    /// opened from `groups` (`/sys/kernel/iommu_groups` held open) when given.
    private func groupShell(_ id: IOMMUGroupID, in groups: SysfsDirectory? = nil) -> (IOMMUGroup, [PCIAddress]) {
        var group = IOMMUGroup(id: id)
        // Under an open `iommu_groups`, the files are opened as `N/type` and so
        // on, so the group's own directory is never opened; a missing group
        // fails each read with ENOENT, as opening it would have.
        let directory: SysfsDirectory
        let prefix: String
        if let groups {
            directory = groups
            prefix = id.description + "/"
        } else {
            do {
                directory = try SysfsDirectory(root.group(id))
            } catch {  // what reading each file would have said
                for name in ["type", "reserved_regions", "devices"] {
                    group.problems.append(AttributeProblem(path: error.path + "/" + name, errno: error.errno))
                }
                return (group, [])
            }
            prefix = ""
        }
        switch directory.read(prefix + "type") {
        case .success(let text): group.type = text
        case .failure(let problem): group.problems.append(problem)
        }
        switch directory.read(prefix + "reserved_regions") {
        case .success(let text):
            let parsed = ReservedRegion.parseFile(text)
            group.reservedRegions = parsed.regions
            for line in parsed.malformed {
                group.problems.append(AttributeProblem(
                    path: directory.path(of: prefix + "reserved_regions"), errno: Errno(rawValue: EINVAL), reason: "unexpected line: \"\(line)\""))
            }
        case .failure(let problem): group.problems.append(problem)
        }
        var addresses: [PCIAddress] = []
        switch directory.list(prefix + "devices") {
        case .success(let names):
            for name in names.sorted() {
                if let address = PCIAddress(name) {
                    addresses.append(address)
                } else {
                    let driver = directory.linkName(prefix + "devices/" + name + "/driver")
                    group.otherMembers.append(.init(name: name, driver: try? driver.get()))
                }
            }
        case .failure(let problem): group.problems.append(problem)
        }
        return (group, addresses.sorted())
    }

    private func filled(_ group: IOMMUGroup, devices: [PCIDevice]) -> IOMMUGroup {
        var group = group
        group.devices = devices
        return group
    }

    /// Every group and every PCI device, read in parallel.
    public func snapshot() -> HostSnapshot {
        var problems: [AttributeProblem] = []
        let ids: [IOMMUGroupID]
        switch groupIDs() {
        case .success(let value): ids = value
        case .failure(let problem):
            ids = []
            problems.append(problem)
        }
        let addresses: [PCIAddress]
        switch deviceAddresses() {
        case .success(let value): addresses = value
        case .failure(let problem):
            addresses = []
            problems.append(problem)
        }
        // One parallel pass over both kinds of directory.
        enum Read: Sendable {
            case group(IOMMUGroupID)
            case device(PCIAddress)
        }
        enum Result: Sendable {
            case group(IOMMUGroup, members: [PCIAddress])
            case device(PCIDevice)
        }
        // Both parents stay open, so each group or device is one `openat` of one component.
        let groupsDirectory = try? SysfsDirectory(root.iommuGroups)
        let devicesDirectory = try? SysfsDirectory(root.pciDevices)
        let results = parallelMap(ids.map(Read.group) + addresses.map(Read.device)) { read -> Result in
            switch read {
            case .group(let id):
                let (group, members) = groupShell(id, in: groupsDirectory)
                return .group(group, members: members)
            case .device(let address):
                return .device(DeviceReader.read(address, root: root, devices: devicesDirectory))
            }
        }
        var shells: [(IOMMUGroup, [PCIAddress])] = []
        var devices: [PCIDevice] = []
        shells.reserveCapacity(ids.count)
        devices.reserveCapacity(addresses.count)
        for result in results {
            switch result {
            case .group(let group, let members): shells.append((group, members))
            case .device(let device): devices.append(device)
            }
        }

        // `devices` is in the order of the sorted `addresses`: members are found by binary search.
        var grouped = [Bool](repeating: false, count: devices.count)
        var groups: [IOMMUGroup] = []
        groups.reserveCapacity(shells.count)
        for (shell, members) in shells {
            groups.append(filled(shell, devices: members.map { member in
                guard let index = Self.index(of: member, in: addresses) else { return device(member) }
                grouped[index] = true
                return devices[index]
            }))
        }
        return HostSnapshot(
            groups: groups,
            ungroupedDevices: devices.indices.filter { !grouped[$0] }.map { devices[$0] },
            problems: problems)
    }

    private static func index(of address: PCIAddress, in sorted: [PCIAddress]) -> Int? {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < address { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == address ? low : nil
    }
}

extension IOMMUGroup.OtherMember {
    init(name: String, driver: String?) {
        self.name = name
        self.driver = driver.flatMap(DriverName.init(rawValue:))
    }
}
