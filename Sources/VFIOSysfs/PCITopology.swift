import Glibc
import LinuxSystem

/// A PCI function with what the kernel's grouping rules look at: its sysfs
/// attributes, its config space and the bridges between it and the root complex.
public struct PCIFunction: Hashable, Sendable {
    public let device: PCIDevice
    /// Nil when `config` could not be read at all (the problem is in `device.problems`).
    public let config: ConfigSpace?
    public let pcie: ConfigLookup<PCIeCapability>
    public let acs: ConfigLookup<ACSCapability>
    public let kind: FunctionKind
    /// The bridges above it, nearest first, from its directory's place under
    /// `/sys/devices/pciDDDD:BB/`; empty on a root bus.
    public let upstream: [PCIAddress]

    public init(device: PCIDevice, config: ConfigSpace?, upstream: [PCIAddress]) {
        self.device = device
        self.config = config
        self.upstream = upstream
        pcie = config.map(PCIeCapability.find) ?? .unreadable
        // The kernel reads ACS only on PCI Express functions (pci_acs_init via pci_find_ext_capability).
        acs = switch pcie {
        case .found: config.map(ACSCapability.find) ?? .unreadable
        case .absent: .absent
        case .unreadable: .unreadable
        }
        kind = FunctionKind(pcie: pcie, headerLayout: config?.headerLayout ?? device.headerType.map { $0 & 0x7F })
    }

    public var address: PCIAddress { device.address }

    /// The kernel's `pdev->multifunction`: bit 7 of the header type, which
    /// `pci_scan_slot` also sets on every function but 0 of a slot; never on
    /// an SR-IOV virtual function (`pci_iov_add_virtfn`).
    public var isMultifunction: Bool {
        device.physicalFunction == nil && (address.function != 0 || device.isMultifunction)
    }

    /// Whether the config bytes stop short of the device's config space (a non-root read).
    public var configTruncated: Bool { config?.isTruncated ?? true }
}

/// Every PCI function of a host with its upstream bridges, and the kernel's
/// IOMMU groups: the input to `GroupFormation`.
public struct PCITopology: Sendable {
    public let functions: [PCIAddress: PCIFunction]
    public let groups: [IOMMUGroupID: IOMMUGroup]
    public let problems: [AttributeProblem]

    public init(functions: [PCIFunction], groups: [IOMMUGroup], problems: [AttributeProblem] = []) {
        var byAddress: [PCIAddress: PCIFunction] = [:]
        for function in functions { byAddress[function.address] = function }
        self.functions = byAddress
        var byID: [IOMMUGroupID: IOMMUGroup] = [:]
        for group in groups { byID[group.id] = group }
        self.groups = byID
        self.problems = problems
    }

    public var hasIOMMU: Bool { !groups.isEmpty }

    /// The other functions of the same slot (domain, bus and device number).
    public func slotSiblings(of address: PCIAddress) -> [PCIFunction] {
        functions.values.filter { $0.address.slot == address.slot && $0.address != address }
            .sorted { $0.address < $1.address }
    }

    /// The functions on the same bus.
    public func busPeers(of address: PCIAddress) -> [PCIFunction] {
        functions.values.filter {
            $0.address.domain == address.domain && $0.address.bus == address.bus && $0.address != address
        }
    }
}

extension SysfsReader {
    /// Every function with its config space and upstream bridges, and every group.
    public func topology() -> PCITopology {
        let snapshot = snapshot()
        let devices = snapshot.groups.flatMap(\.devices) + snapshot.ungroupedDevices
        let root = self.root
        let functions = parallelMap(devices) { device in
            var device = device
            let path = root.device(device.address)
            var config: ConfigSpace?
            switch ConfigSpace.read(path + "/config") {
            case .success(let value): config = value
            case .failure(let problem):
                if !device.problems.contains(problem) { device.problems.append(problem) }
            }
            var upstream: [PCIAddress] = []
            switch AttributeFile.readLink(path).problem(path) {
            case .success(let target): upstream = Self.upstreamBridges(linkTarget: target)
            case .failure(let problem): device.problems.append(problem)
            }
            return PCIFunction(device: device, config: config, upstream: upstream)
        }
        return PCITopology(functions: functions, groups: snapshot.groups, problems: snapshot.problems)
    }

    /// The bridges named in a `/sys/bus/pci/devices/X` link target such as
    /// `../../../devices/pci0000:00/0000:00:03.0/0000:02:00.0/0000:03:01.0`,
    /// nearest first, without the device itself.
    static func upstreamBridges(linkTarget: String) -> [PCIAddress] {
        Array(linkTarget.split(separator: "/").compactMap(PCIAddress.init).dropLast().reversed())
    }
}
