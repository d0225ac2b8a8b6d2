import VFIOCore

/// One finding of `HostDoctor`: what was checked, the verdict, the files and
/// calls it was read from with the values found, and what to do about it.
public struct HostCheck: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable {
        /// Ready for VFIO.
        case pass
        /// Works, but is unsafe, limited or needs a step before use.
        case warn
        /// Stops devices from being handed to userspace safely.
        case fail
        /// Could not be checked: it does not apply here, or it needs root.
        case skip
    }


    /// Stable identifier, e.g. `iommu-enabled`.
    public let id: String
    public let status: Status
    /// One line saying what was found.
    public let summary: String
    public let evidence: [Evidence]
    /// What to do; nil when there is nothing to do.
    public let fix: String?
    /// The check (or part of it) needs root, and this process is not root.
    public let needsRoot: Bool

    public init(_ id: String, _ status: Status, _ summary: String, evidence: [Evidence], fix: String? = nil,
                needsRoot: Bool = false)
    {
        self.id = id
        self.status = status
        self.summary = summary
        self.evidence = evidence
        self.fix = fix
        self.needsRoot = needsRoot
    }
}
