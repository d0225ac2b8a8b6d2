#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Reads groups and devices under a `SysfsRoot`: everything for `list`, or
/// only the groups asked for.
public struct SysfsReader: Sendable {
    public let root: SysfsRoot

    public init(root: SysfsRoot) {
        self.root = root
    }

    /// The groups under `/sys/kernel/iommu_groups`, sorted; empty when the
    /// directory is missing (no IOMMU driver).
    public func groupIDs() -> Result<[IOMMUGroupID], AttributeProblem> {
        switch SysfsFile.list(root.iommuGroups) {
        case .success(let names): .success(names.compactMap(IOMMUGroupID.init).sorted())
        case .failure(let problem) where problem.errno == ENOENT: .success([])
        case .failure(let problem): .failure(problem)
        }
    }

    /// The PCI addresses under `/sys/bus/pci/devices`, sorted.
    public func deviceAddresses() -> Result<[PCIAddress], AttributeProblem> {
        switch SysfsFile.list(root.pciDevices) {
        case .success(let names): .success(names.compactMap(PCIAddress.init).sorted())
        case .failure(let problem) where problem.errno == ENOENT: .success([])
        case .failure(let problem): .failure(problem)
        }
    }

    public func groupExists(_ id: IOMMUGroupID) -> Bool {
        SysfsFile.exists(root.group(id))
    }

    public func deviceExists(_ address: PCIAddress) -> Bool {
        SysfsFile.exists(root.device(address))
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

    /// The group's own files and member names, without reading the members.
    private func groupShell(_ id: IOMMUGroupID) -> (IOMMUGroup, [PCIAddress]) {
        var group = IOMMUGroup(id: id)
        let path = root.group(id)
        switch SysfsFile.read(path + "/type") {
        case .success(let text): group.type = text
        case .failure(let problem): group.problems.append(problem)
        }
        switch SysfsFile.read(path + "/reserved_regions") {
        case .success(let text):
            let parsed = ReservedRegion.parseFile(text)
            group.reservedRegions = parsed.regions
            for line in parsed.malformed {
                group.problems.append(AttributeProblem(
                    path: path + "/reserved_regions", errno: EINVAL, reason: "unexpected line: \"\(line)\""))
            }
        case .failure(let problem): group.problems.append(problem)
        }
        var addresses: [PCIAddress] = []
        switch SysfsFile.list(path + "/devices") {
        case .success(let names):
            for name in names.sorted() {
                if let address = PCIAddress(name) {
                    addresses.append(address)
                } else {
                    let driver = SysfsFile.linkName(path + "/devices/" + name + "/driver")
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
        let shells = parallelMap(ids, groupShell)
        let devices = parallelMap(addresses, device)
        var byAddress: [PCIAddress: PCIDevice] = [:]
        for device in devices { byAddress[device.address] = device }

        var grouped = Set<PCIAddress>()
        var groups: [IOMMUGroup] = []
        for (shell, members) in shells {
            groups.append(filled(shell, devices: members.map { byAddress[$0] ?? device($0) }))
            grouped.formUnion(members)
        }
        return HostSnapshot(
            groups: groups,
            ungroupedDevices: devices.filter { !grouped.contains($0.address) },
            problems: problems)
    }
}

extension IOMMUGroup.OtherMember {
    init(name: String, driver: String?) {
        self.name = name
        self.driver = driver.flatMap(DriverName.init(rawValue:))
    }
}

/// Maps in parallel over all cores, keeping the order.
func parallelMap<Element: Sendable, Result: Sendable>(
    _ elements: [Element], _ transform: @Sendable (Element) -> Result
) -> [Result] {
    guard elements.count > 1 else { return elements.map(transform) }
    let chunks = min(elements.count, OnlineCores.count * 4)
    return Array(unsafeUninitializedCapacity: elements.count) { buffer, initialized in
        let slots = SendableBuffer(buffer)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var index = chunk
            while index < elements.count {
                (slots.buffer.baseAddress! + index).initialize(to: transform(elements[index]))
                index += chunks
            }
        }
        initialized = elements.count
    }
}

private struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

private enum OnlineCores {
    static let count = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
