/// One thing read: a file, a parameter or an ioctl on a node, and the value it
/// gave. The proof behind a `doctor` check and behind a claim's hazard.
public struct Evidence: Hashable, Sendable {
    /// A path (`/proc/self/mountinfo`) or a call on a node (`VFIO_CHECK_EXTENSION on /dev/vfio/vfio`).
    public let source: String
    public let value: String

    public init(_ source: String, _ value: String) {
        self.source = source
        self.value = value
    }
}
