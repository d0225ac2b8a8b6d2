import LinuxSystem
import VFIOCore
import VFIOSysfs

/// Whether a mode can be used here, and why (not).
public struct ModeAvailability: Hashable, Sendable {
    public let mode: Mode
    public let available: Bool
    public let reason: String
}

/// Finds which modes the running kernel supports by probing nodes and
/// extensions, never by kernel version: `VFIO_CHECK_EXTENSION` on a fresh
/// container, whether `/dev/iommu` opens and answers the compat ioctls, and
/// whether sysfs gives the device a cdev (`vfio-dev/vfioX/dev`).
public struct ModeProbe: Sendable {
    public var root: HostRoot

    public init(root: HostRoot = HostRoot()) {
        self.root = root
    }

    /// Every mode, in `Mode.allCases` order. Without a device, `iommufd` is
    /// judged only by `/dev/iommu` and `/dev/vfio/devices`.
    public func availability(device: PCIAddress? = nil) -> [ModeAvailability] {
        Mode.allCases.map { availability(of: $0, device: device) }
    }

    public func availability(of mode: Mode, device: PCIAddress? = nil) -> ModeAvailability {
        func result(_ available: Bool, _ reason: String) -> ModeAvailability {
            ModeAvailability(mode: mode, available: available, reason: reason)
        }
        switch mode {
        case .type1, .type1v2:
            guard let type = mode.containerType else { return result(false, "no container type") }
            do {
                let container = try VFIOContainer(root: root)
                return try container.checkExtension(type)
                    ? result(true, "\(container.path) supports \(type)")
                    : result(false, "\(container.path) does not support \(type) (vfio_iommu_type1 not loaded?)")
            } catch {
                return result(false, error.description)
            }
        case .iommufdCompat:
            do {
                let context = try VFIOContainer(path: root.iommu)
                return try context.checkExtension(.type1v2)
                    ? result(true, "\(context.path) answers the VFIO container ioctls")
                    : result(false, "\(context.path) does not offer type1v2 compatibility")
            } catch {
                return result(false, error.description)
            }
        case .iommufd:
            guard FileSystem.exists(root.iommu) else {
                return result(false, "\(root.iommu) does not exist (kernel without CONFIG_IOMMUFD?)")
            }
            guard let device else {
                return FileSystem.exists(root.vfioDevices)
                    ? result(true, "\(root.iommu) and \(root.vfioDevices) exist")
                    : result(false, "\(root.vfioDevices) does not exist (kernel without CONFIG_VFIO_DEVICE_CDEV?)")
            }
            do {
                guard let cdev = try DeviceCdev.locate(device, root: root) else {
                    return result(false, "\(DeviceCdev.vfioDevDirectory(device, root: root))/vfioX/dev does not "
                        + "exist: \(device) is not bound to vfio-pci, or the kernel has no VFIO device cdevs")
                }
                return result(true, "\(device) has cdev \(cdev.path) (\(cdev.number))")
            } catch {
                return result(false, error.description)
            }
        }
    }
}
