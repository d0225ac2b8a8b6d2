import VFIOCore
import VFIOHost

/// What `vfioadm capture` wrote: the bundle, its size and what it holds.
struct CaptureReport: Encodable, Sendable {
    let schemaVersion = 1
    let file: String
    let bytes: Int
    let files: Int
    let links: Int
    let directories: Int
    /// Paths the commands read that the bundle holds.
    let reads: Int
    let commands: Int
    /// Without root, config space stops at 64 bytes.
    let asRoot: Bool
    let unreadable: [BundleManifest.Unreadable]
    let rewrittenLinks: [BundleManifest.RewrittenLink]
    let skipped: [BundleManifest.Read]
}
