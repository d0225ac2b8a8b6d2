import Glibc
import LinuxSystem
import VFIOCore

/// What the calling process may do that matters for VFIO: whether it is root,
/// and whether it holds CAP_IPC_LOCK, which exempts its DMA pinning from
/// RLIMIT_MEMLOCK (type1 and iommufd both skip the accounting for it).
///
/// The corresponding calls are `geteuid(2)` and the `CapEff` line of `/proc/self/status`.
public struct ProcessPrivileges: Hashable, Sendable {
    public let isRoot: Bool
    /// nil when the capability set could not be read.
    public let canLockMemory: Bool?

    /// CAP_IPC_LOCK's bit in the capability sets.
    static let ipcLockBit: UInt64 = 14

    /// This process's.
    public static func current() -> ProcessPrivileges {
        let status = try? FileSystem.readText("/proc/self/status").get()
        return ProcessPrivileges(isRoot: geteuid() == 0, canLockMemory: status.flatMap(ipcLock(inStatus:)))
    }

    /// CAP_IPC_LOCK from a `/proc/PID/status` text (`CapEff:\t000001ffffffffff`).
    static func ipcLock(inStatus text: String) -> Bool? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let mask = UInt64(line.dropFirst("CapEff:".count).trimmingWhitespace, radix: 16)
        else { return nil }
        return mask & (1 << ipcLockBit) != 0
    }
}

extension Substring {
    fileprivate var trimmingWhitespace: Substring {
        drop { $0 == " " || $0 == "\t" }.prefix { $0 != " " && $0 != "\t" }
    }
}
