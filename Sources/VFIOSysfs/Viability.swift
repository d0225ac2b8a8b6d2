/// Whether a group can be handed to userspace, by the kernel's DMA-ownership
/// rule (5.19+): every member unbound or on a `driver_managed_dma` driver, and
/// no firmware `direct` reserved region.
public struct Verdict: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable {
        /// `VFIO_GROUP_GET_STATUS` would report VIABLE and a claim can succeed.
        case viable
        /// A member holds kernel DMA; unbinding or claiming the group fixes it.
        case notViable = "not-viable"
        /// Firmware demands a 1:1 mapping; no driver change helps.
        case unassignable
        /// There are no IOMMU groups at all.
        case noIOMMU = "no-iommu"
    }

    /// One thing that keeps the group from userspace, and what would fix it.
    public struct Reason: Hashable, Sendable {
        public enum Code: String, Hashable, Sendable {
            case kernelDMADriver = "kernel-dma-driver"
            case directRegion = "direct-region"
            case noIOMMU = "no-iommu"
            case noGroup = "no-group"
        }

        public let code: Code
        /// The device concerned, when there is one.
        public let device: String?
        public let message: String
        public let fix: String
    }

    public let status: Status
    public let reasons: [Reason]

    public var isViable: Bool { status == .viable }
}

extension Verdict {
    /// The verdict for a group from what sysfs shows of it.
    public static func of(_ group: IOMMUGroup) -> Verdict {
        var reasons: [Reason] = []
        for region in group.directRegions {
            reasons.append(Reason(
                code: .directRegion, device: nil,
                message: "group \(group.id) has a firmware 'direct' reserved region \(region.range): "
                    + "a device in it must stay identity-mapped, so the kernel refuses to give the group "
                    + "to userspace (EINVAL)",
                fix: "none in software: the 1:1 region comes from firmware (Intel RMRR, AMD IVMD); "
                    + "ask the platform vendor for a firmware without it, or use another slot or machine"))
        }
        let members = group.devices.map { ($0.address.description, $0.driver) }
            + group.otherMembers.map { ($0.name, $0.driver) }
        for (name, driver) in members {
            guard let driver, !driver.managesDMA else { continue }
            reasons.append(Reason(
                code: .kernelDMADriver, device: name,
                message: "\(name) is bound to \(driver), which does kernel DMA",
                fix: "claim the whole group for vfio-pci (vfioadm claim \(group.id)), or unbind it (write \(name) "
                    + "to /sys/bus/pci/drivers/\(driver)/unbind)"))
        }
        let status: Status =
            if !group.directRegions.isEmpty { .unassignable }
            else if reasons.isEmpty { .viable }
            else { .notViable }
        return Verdict(status: status, reasons: reasons)
    }

    /// The verdict when the host has no IOMMU groups at all.
    public static let noIOMMU = Verdict(status: .noIOMMU, reasons: [
        Reason(
            code: .noIOMMU, device: nil,
            message: "no IOMMU groups: the IOMMU is absent or the kernel did not enable it",
            fix: "enable VT-d (Intel) or AMD-Vi/IOMMU in the firmware setup, then boot with intel_iommu=on "
                + "on Intel (AMD enables it by default; check that amd_iommu=off is not set)"),
    ])

    /// The verdict for a device that belongs to no group on a host that has groups.
    public static func noGroup(_ address: PCIAddress) -> Verdict {
        Verdict(status: .noIOMMU, reasons: [
            Reason(
                code: .noGroup, device: address.description,
                message: "\(address) has no iommu_group link: no IOMMU has taken it on",
                fix: "check that the IOMMU covering this device is enabled (DMAR/IVRS/VIOT scope); with "
                    + "virtio-iommu a device only gets its group when a driver first binds to it, so bind it "
                    + "to vfio-pci and check again"),
        ])
    }
}
