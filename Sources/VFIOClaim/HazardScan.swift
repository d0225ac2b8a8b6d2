import VFIOCore
import VFIOHost
import VFIOSysfs

/// Everything that makes taking a group unsafe, found from sysfs and procfs
/// before any write.
public struct HazardScan: Sendable {
    let paths: HostPaths
    let ipv4Addresses: @Sendable () -> [String: [String]]

    public init(paths: HostPaths, ipv4Addresses: @escaping @Sendable () -> [String: [String]] = InterfaceAddresses.ipv4) {
        self.paths = paths
        self.ipv4Addresses = ipv4Addresses
    }

    /// The hazards of carrying out `plan` on `group`: the group's own (firmware
    /// regions, members vfio-pci cannot take) always, the rest only for members
    /// that move, and the processes holding their nodes or the group's open.
    public func hazards(_ group: IOMMUGroup, plan: GroupPlan) -> [Hazard] {
        hazards([(group, plan)])[0]
    }

    /// The hazards of several groups' plans, in order. The host's tables are
    /// read, and the processes' fds scanned, once for all of them.
    public func hazards(_ staged: [(group: IOMMUGroup, plan: GroupPlan)]) -> [[Hazard]] {
        let host = HostTables(root: paths.root)
        var perGroup: [[Hazard]] = []
        var nodes: [DeviceNode: (label: String, device: String?, index: Int)] = [:]
        for (index, (group, plan)) in staged.enumerated() {
            var hazards = groupHazards(group)
            let moving = Set(plan.devices.filter { $0.action == .bind }.map(\.address))
            for device in group.devices where moving.contains(device.address) {
                if let path = realPath(paths.root.device(device.address)) {
                    let function = FunctionDevices(address: device.address, path: path, root: paths.root, host: host)
                    hazards += functionHazards(function, host: host)
                    for (node, label) in OpenNodes.deviceNodes(function) {
                        nodes[node] = (label, device.address.description, index)
                    }
                }
                hazards += sriovHazards(device)
            }
            if !plan.writes.isEmpty {
                for (node, label) in OpenNodes.vfioNodes(group, paths: paths) { nodes[node] = (label, nil, index) }
            }
            perGroup.append(hazards)
        }
        for (index, hazard) in openNodes(nodes) { perGroup[index].append(hazard) }
        return perGroup
    }

    private func groupHazards(_ group: IOMMUGroup) -> [Hazard] {
        var hazards = group.directRegions.map { region in
            Hazard(.directRegion, device: nil,
                   "group \(group.id) has a firmware 'direct' reserved region \(region.range): the kernel refuses "
                       + "to give a device with a 1:1 mapping to userspace (EINVAL at VFIO_GROUP_SET_CONTAINER)",
                   fix: "none in software, not even --force: the region comes from firmware (Intel RMRR, AMD "
                       + "IVMD); use another slot or machine, or ask the platform vendor",
                   evidence: [.init(paths.root.group(group.id) + "/reserved_regions", "\(region.range) direct")])
        }
        for device in group.devices where device.isBridge && device.holdsKernelDMA {
            hazards.append(Hazard(
                .bridgeDriver, device: device.address.description,
                "bridge \(device.address) is bound to \(device.driver?.rawValue ?? "?"), which does kernel DMA, "
                    + "and vfio-pci does not take bridges",
                fix: "unbind it (echo \(device.address) > \(paths.root.pciDrivers)/\(device.driver?.rawValue ?? "?")/unbind)",
                evidence: [.init(paths.root.device(device.address) + "/driver", device.driver?.rawValue ?? "?")]))
        }
        for member in group.otherMembers {
            guard let driver = member.driver, !driver.managesDMA else { continue }
            hazards.append(Hazard(
                .nonPCIMember, device: member.name,
                "\(member.name) is not a PCI function and is bound to \(driver), which does kernel DMA",
                fix: "unbind it from \(driver); vfioadm claims only PCI functions",
                evidence: [.init(paths.root.group(group.id) + "/devices/\(member.name)/driver", driver.description)]))
        }
        return hazards
    }

    /// Storage, network and console use of what the kernel made below the function.
    private func functionHazards(_ function: FunctionDevices, host: HostTables) -> [Hazard] {
        let network = NetworkUsage(paths: paths, host: host, ipv4Addresses: ipv4Addresses)
        let carriers = network.carriers(function.interfaces)
        return StorageUsage(paths: paths, host: host).hazards(function, carriers: carriers)
            + network.hazards(function, carriers: carriers)
            + ConsoleUsage(paths: paths).hazards(function)
    }

    private func sriovHazards(_ device: PCIDevice) -> [Hazard] {
        guard let count = device.sriovNumVFs, count > 0 else { return [] }
        let file = paths.root.device(device.address) + "/sriov_numvfs"
        return [Hazard(
            .sriovVFs, device: device.address.description,
            "\(device.address) is an SR-IOV physical function with \(count) VFs enabled; vfio-pci refuses it "
                + "(EBUSY) and the VFs' users would lose them",
            fix: "disable the VFs (echo 0 > \(file)) or claim the VFs instead",
            evidence: [.init(file, "\(count)")])]
    }

    /// Processes holding a moving function's nodes or a group's VFIO nodes open, each with its group's index.
    private func openNodes(_ nodes: [DeviceNode: (label: String, device: String?, index: Int)]) -> [(Int, Hazard)] {
        let labels = nodes.mapValues(\.label)
        let owners = Dictionary(nodes.values.map { ($0.label, ($0.device, $0.index)) }, uniquingKeysWith: { first, _ in first })
        return ProcessScan.holders(of: labels, procRoot: paths.root.proc).compactMap { holder in
            guard let (device, index) = owners[holder.path] else { return nil }
            let fix = device == nil
                ? "stop \(holder) (the VMM or DPDK application using the group) first, or pass --force"
                : "stop \(holder) or make it close \(holder.path) first, or pass --force (the driver's remove then "
                    + "waits for it or leaves it a dead file)"
            return (index, Hazard(.openNode, device: device, "\(holder.path) is held open by \(holder)", fix: fix,
                                  evidence: [.init(paths.root.proc + "/\(holder.pid)/fd", holder.path)]))
        }
    }
}
