import LinuxSystem

/// The procfs files `doctor` and `claim` read: the kernel's command line,
/// interrupts, device majors and taint, and the host's mounts, swaps, routes
/// and sockets.
extension HostRoot {
    /// `/proc/cmdline`
    public var commandLine: String { proc + "/cmdline" }
    /// `/proc/interrupts`
    public var interrupts: String { proc + "/interrupts" }
    /// `/proc/devices`, the registered character and block device majors.
    public var registeredDevices: String { proc + "/devices" }
    /// `/proc/sys/kernel/tainted`
    public var tainted: String { proc + "/sys/kernel/tainted" }
    /// `/proc/sys/kernel/osrelease`, what `uname -r` prints.
    public var osRelease: String { proc + "/sys/kernel/osrelease" }

    /// `/proc/self/mountinfo`
    public var mountInfo: String { proc + "/self/mountinfo" }
    /// `/proc/swaps`
    public var swaps: String { proc + "/swaps" }
    /// `/proc/net/route`
    public var ipv4Routes: String { proc + "/net/route" }
    /// `/proc/net/ipv6_route`
    public var ipv6Routes: String { proc + "/net/ipv6_route" }
    /// `/proc/net/if_inet6`
    public var ipv6Addresses: String { proc + "/net/if_inet6" }
    /// `/proc/net/tcp`
    public var tcp4Sockets: String { proc + "/net/tcp" }
    /// `/proc/net/tcp6`
    public var tcp6Sockets: String { proc + "/net/tcp6" }
}
