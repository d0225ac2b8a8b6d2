import LinuxSystem

/// An SR-IOV physical function as the kernel shows it: how many VFs it can
/// have and has, where they appear, and whether a host driver probes them.
public struct PhysicalFunction: Hashable, Sendable {
    /// One enabled VF.
    public struct VF: Hashable, Sendable {
        public let address: PCIAddress
        public let group: IOMMUGroupID?
        public let driver: DriverName?
    }

    public let address: PCIAddress
    public let driver: DriverName?
    public let group: IOMMUGroupID?
    public let totalVFs: Int
    public let numVFs: Int
    /// `sriov_offset` and `sriov_stride`: VF n is at routing ID PF + offset + n * stride.
    public let offset: Int?
    public let stride: Int?
    /// `sriov_vf_device`: the VFs' device ID.
    public let vfDevice: String?
    /// `sriov_drivers_autoprobe`: whether a host driver binds new VFs as they appear.
    public let driversAutoprobe: Bool?
    public let vfs: [VF]

    /// Nil when the device has no SR-IOV capability (no `sriov_totalvfs`).
    ///
    /// The corresponding files are `sriov_{totalvfs,numvfs,offset,stride,vf_device,drivers_autoprobe}`
    /// and the `virtfnN` links, then each VF's `iommu_group` and `driver`.
    public static func read(_ address: PCIAddress, reader: SysfsReader) -> PhysicalFunction? {
        let directory = reader.root.device(address)
        func text(_ name: String) -> String? { try? AttributeFile.read(directory + "/" + name).get() }
        guard let total = text("sriov_totalvfs").flatMap({ Int($0) }) else { return nil }
        let device = reader.device(address)
        let vfs = device.virtualFunctions.map { vf in
            let read = reader.device(vf)
            return VF(address: vf, group: read.iommuGroup, driver: read.driver)
        }
        return PhysicalFunction(
            address: address, driver: device.driver, group: device.iommuGroup, totalVFs: total,
            numVFs: text("sriov_numvfs").flatMap { Int($0) } ?? 0, offset: text("sriov_offset").flatMap { Int($0) },
            stride: text("sriov_stride").flatMap { Int($0) }, vfDevice: text("sriov_vf_device"),
            driversAutoprobe: text("sriov_drivers_autoprobe").map { $0 == "1" }, vfs: vfs)
    }

    /// What an admin should know before handing the VFs out: a VF in the PF's
    /// group, and the VF token a PF on vfio-pci demands.
    public var warnings: [String] {
        var warnings: [String] = []
        let shared = vfs.filter { $0.group != nil && $0.group == group }.map(\.address.description)
        if !shared.isEmpty {
            warnings.append("\(shared.joined(separator: ", ")) share\(shared.count == 1 ? "s" : "") group "
                + "\(group.map(\.description) ?? "?") with the PF: they cannot be given to a VM apart from it")
        }
        if driver?.isVFIO == true {
            warnings.append("the PF is bound to \(driver?.rawValue ?? "vfio-pci"): opening a VF needs the PF user's "
                + "VF token (vfio-pci enable_sriov=1, and vf_token=UUID when the VF is opened)")
        }
        return warnings
    }
}
