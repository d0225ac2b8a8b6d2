import Glibc
import LinuxSystem
import VFIOCore

/// The module that serves `/dev/vfio/vfio`: VFIO's own container code
/// (CONFIG_VFIO_CONTAINER) or iommufd's compatibility layer
/// (CONFIG_IOMMUFD_VFIO_CONTAINER). Both register misc 10:196 under the same
/// name, so only the node's answers tell them apart.
public enum ContainerProvider: String, Sendable {
    case vfio
    case iommufd
}

/// What a fresh container on `/dev/vfio/vfio` answers: the API version, the
/// extensions it offers, and who serves it. The node is world-accessible
/// (mode 0666), so this needs no privileges.
public struct ContainerProbe: Hashable, Sendable {
    public let path: String
    public let apiVersion: Int32
    public let extensions: [VFIOExtension]
    public let provider: ContainerProvider
    /// The `IOMMU_IOAS_ALLOC` answer that told the provider, e.g. `EINVAL (VFIO's container rejects it)`.
    public let providerAnswer: String

    public init(path: String, apiVersion: Int32, extensions: [VFIOExtension], provider: ContainerProvider,
                providerAnswer: String)
    {
        self.path = path
        self.apiVersion = apiVersion
        self.extensions = extensions
        self.provider = provider
        self.providerAnswer = providerAnswer
    }

    /// Opens two containers: one asked `VFIO_GET_API_VERSION` and
    /// `VFIO_CHECK_EXTENSION` for every known ID, one asked `IOMMU_IOAS_ALLOC`.
    /// iommufd's compat node answers that with a new IOAS (destroyed again);
    /// VFIO's container rejects every ioctl it does not know with EINVAL while
    /// no IOMMU backend is set.
    ///
    /// The corresponding ioctls are `VFIO_GET_API_VERSION`, `VFIO_CHECK_EXTENSION` and `IOMMU_IOAS_ALLOC`.
    public static func run(root: HostRoot = HostRoot()) throws(VFIOError) -> ContainerProbe {
        let container = try VFIOContainer(root: root)
        let version = try container.apiVersion()
        let extensions = try container.supportedExtensions()
        let probe = try IOMMUFD(path: root.container)
        let provider: ContainerProvider
        let answer: String
        do {
            let ioas = try probe.ioasAlloc()
            try probe.destroy(ioas)
            provider = .iommufd
            answer = "IOAS \(ioas) (iommufd answers)"
        } catch where error.errno.rawValue == EINVAL {
            provider = .vfio
            answer = "\(error.errno.name) (VFIO's container rejects it)"
        }
        return ContainerProbe(path: root.container, apiVersion: version, extensions: extensions, provider: provider,
                              providerAnswer: answer)
    }
}
