import VFIOHost

/// Something that makes taking a group unsafe or impossible, found before any write.
public struct Hazard: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case mountedFileSystem = "mounted-filesystem"
        /// The root file system: never taken, not even with `--force`.
        case rootFileSystem = "root-filesystem"
        /// The file system of the state directory, where the journals live: never taken.
        case stateFileSystem = "state-filesystem"
        case swap
        case blockHolder = "block-holder"
        /// A loop device whose backing file lives on the function.
        case loopDevice = "loop-device"
        /// A network file system, iSCSI session or NBD device whose traffic goes over the function.
        case networkStorage = "network-storage"
        case networkInterface = "network-interface"
        /// A member of a bridge, bond or team.
        case enslavedInterface = "enslaved-interface"
        /// An established TCP connection over one of the function's interfaces.
        case tcpSession = "tcp-session"
        /// The device of a console the kernel writes to: never taken.
        case console
        case openNode = "open-node"
        case sriovVFs = "sriov-vfs"
        /// A firmware `direct` region: the kernel itself refuses the group (EINVAL).
        case directRegion = "direct-region"
        /// A bridge on a kernel DMA driver: vfio-pci cannot take bridges.
        case bridgeDriver = "bridge-driver"
        /// A member that is not a PCI function, on a kernel DMA driver.
        case nonPCIMember = "non-pci-member"
    }

    public let kind: Kind
    /// The member concerned, when there is one.
    public let device: String?
    public let message: String
    public let fix: String
    public let evidence: [Evidence]

    public init(_ kind: Kind, device: String?, _ message: String, fix: String, evidence: [Evidence] = []) {
        self.kind = kind
        self.device = device
        self.message = message
        self.fix = fix
        self.evidence = evidence
    }

    /// Whether `--force` may override it. Never for the root file system, the
    /// state directory's and the console (no safe way to take them), nor for
    /// what the kernel or vfio-pci would refuse anyway.
    public var overridable: Bool {
        switch kind {
        case .rootFileSystem, .stateFileSystem, .console: false
        default: !unassignable
        }
    }

    /// Whether the group cannot be given to userspace at all, whatever the host does.
    public var unassignable: Bool {
        switch kind {
        case .directRegion, .bridgeDriver, .nonPCIMember: true
        default: false
        }
    }
}
