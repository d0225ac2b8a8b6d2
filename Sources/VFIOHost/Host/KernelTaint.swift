import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The kernel's taint flags: a bit mask of reasons its state is no longer
/// trustworthy for bug reports.
///
/// The corresponding file is `/proc/sys/kernel/tainted`.
public struct KernelTaint: Hashable, Sendable {
    public let mask: UInt64

    /// TAINT_USER, bit 6, `U`: set by userspace request, and by VFIO when it
    /// creates a no-IOMMU group (drivers/vfio/group.c).
    public static let userBit = 6

    public var user: Bool { mask & (1 << UInt64(Self.userBit)) != 0 }

    public static func read(_ root: HostRoot) -> Result<KernelTaint, Errno> {
        FileSystem.readText(root.tainted).flatMap { text in
            guard let mask = UInt64(text) else { return .failure(Errno(rawValue: EINVAL)) }
            return .success(KernelTaint(mask: mask))
        }
    }
}
