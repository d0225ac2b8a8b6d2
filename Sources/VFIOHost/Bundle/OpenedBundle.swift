import LinuxSystem

/// A support bundle (`vfioadm capture`) unpacked into a private temporary
/// folder for reading, and checked first: it comes from another machine, so
/// only folders, plain files and contained links (`LinkTarget`) are accepted.
/// `remove()` deletes the folder; the caller runs it however the read ends.
public struct OpenedBundle: Sendable {
    /// The bundle file.
    public let file: String
    /// The private folder it is unpacked in: the root to read under.
    public let path: String

    /// Why a bundle cannot be read: the file or entry at fault, with the errno or reason.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let errno: Errno?
        public let reason: String

        public var description: String { "\(path): \(reason)" }
    }

    /// Unpacks and checks `file` in a new folder under `temporaryDirectory`
    /// (default `$TMPDIR`, else `/tmp`); nothing is left behind when this fails.
    public static func open(_ file: String, temporaryDirectory: String? = nil) -> Result<OpenedBundle, Failure> {
        let folder: String
        switch LocalTree.makeTemporaryDirectory(prefix: "vfioadm-bundle", in: temporaryDirectory) {
        case .success(let made): folder = made
        case .failure(let error):
            return .failure(Failure(path: file, errno: error, reason: "cannot make a temporary folder: \(error)"))
        }
        let checked = TarArchive.extract(file, into: folder)
            .mapError { Failure(path: file, errno: $0.errno, reason: "cannot unpack: \($0)") }
            .flatMap { checkTree(folder, depth: 0, top: folder, bundle: file) }
        if case .failure(let failure) = checked {
            LocalTree.remove(folder)
            return .failure(failure)
        }
        return .success(OpenedBundle(file: file, path: folder))
    }

    /// Deletes the unpacked folder.
    public func remove() {
        LocalTree.remove(path)
    }

    /// Every entry under `folder` is a folder, a plain file or a contained link.
    private static func checkTree(_ folder: String, depth: Int, top: String, bundle: String) -> Result<Void, Failure> {
        func name(_ path: String) -> String { bundle + ": " + path.dropFirst(top.count + 1) }
        let names: [String]
        switch FileSystem.list(folder) {
        case .success(let listed): names = listed
        case .failure(let error): return .failure(Failure(path: name(folder), errno: error, reason: "\(error)"))
        }
        for entry in names {
            let path = folder + "/" + entry
            switch LocalTree.kind(path) {
            case .failure(let error):
                return .failure(Failure(path: name(path), errno: error, reason: "\(error)"))
            case .success(.directory):
                if case .failure(let failure) = checkTree(path, depth: depth + 1, top: top, bundle: bundle) { return .failure(failure) }
            case .success(.file):
                continue
            case .success(.link):
                let target = (try? FileSystem.readLink(path).get()) ?? ""
                guard LinkTarget.isContained(target, depth: depth) else {
                    return .failure(Failure(path: name(path), errno: nil,
                                            reason: "link to \(target.debugDescription) leads out of the bundle"))
                }
            case .success(.other):
                return .failure(Failure(path: name(path), errno: nil, reason: "not a folder, file or link"))
            }
        }
        return .success(())
    }
}
