import VFIOCore
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
    /// regions, members vfio-pci cannot take) always, the rest only for members that move.
    public func hazards(_ group: IOMMUGroup, plan: GroupPlan) -> [Hazard] {
        var hazards = groupHazards(group)
        let moving = Set(plan.devices.filter { $0.action == .bind }.map(\.address))
        for device in group.devices where moving.contains(device.address) {
            hazards += deviceHazards(device)
        }
        if !plan.writes.isEmpty { hazards += openNodes(group) }
        return hazards
    }

    private func groupHazards(_ group: IOMMUGroup) -> [Hazard] {
        var hazards = group.directRegions.map { region in
            Hazard(.directRegion, device: nil,
                   "group \(group.id) has a firmware 'direct' reserved region \(region.range): the kernel refuses "
                       + "to give a device with a 1:1 mapping to userspace (EINVAL at VFIO_GROUP_SET_CONTAINER)",
                   fix: "none in software, not even --force: the region comes from firmware (Intel RMRR, AMD "
                       + "IVMD); use another slot or machine, or ask the platform vendor")
        }
        for device in group.devices where device.isBridge && device.holdsKernelDMA {
            hazards.append(Hazard(
                .bridgeDriver, device: device.address.description,
                "bridge \(device.address) is bound to \(device.driver?.rawValue ?? "?"), which does kernel DMA, "
                    + "and vfio-pci does not take bridges",
                fix: "unbind it (echo \(device.address) > \(paths.sysfs.pciDrivers)/\(device.driver?.rawValue ?? "?")/unbind)"))
        }
        for member in group.otherMembers {
            guard let driver = member.driver, !driver.managesDMA else { continue }
            hazards.append(Hazard(
                .nonPCIMember, device: member.name,
                "\(member.name) is not a PCI function and is bound to \(driver), which does kernel DMA",
                fix: "unbind it from \(driver); vfioadm claims only PCI functions"))
        }
        return hazards
    }

    private func deviceHazards(_ device: PCIDevice) -> [Hazard] {
        var hazards: [Hazard] = []
        if let path = realPath(paths.sysfs.device(device.address)) {
            hazards += BlockUsage(paths: paths).hazards(device: device.address, devicePath: path)
            hazards += NetworkUsage(paths: paths, ipv4Addresses: ipv4Addresses)
                .hazards(device: device.address, devicePath: path)
        }
        hazards += ConsoleUsage(paths: paths).hazards(device: device.address)
        if let count = device.sriovNumVFs, count > 0 {
            hazards.append(Hazard(
                .sriovVFs, device: device.address.description,
                "\(device.address) is an SR-IOV physical function with \(count) VFs enabled; vfio-pci refuses it "
                    + "(EBUSY) and the VFs' users would lose them",
                fix: "disable the VFs (echo 0 > \(paths.sysfs.device(device.address))/sriov_numvfs) or claim the "
                    + "VFs instead"))
        }
        return hazards
    }

    /// Processes holding the group node or a member's cdev open.
    private func openNodes(_ group: IOMMUGroup) -> [Hazard] {
        OpenNodes.holders(group, paths: paths).map { holder in
            Hazard(.openNode, device: nil, "\(holder.path) is held open by \(holder)",
                   fix: "stop \(holder) (the VMM or DPDK application using the group) first, or pass --force")
        }
    }
}
