import LinuxSystem

/// The canonical path with every symbolic link resolved, or nil when it does not resolve.
///
/// The corresponding call is `realpath(3)`.
public func realPath(_ path: String) -> String? {
    ReadRecorder.note(path, .presence)
    return try? FileSystem.canonicalPath(path).get()
}

/// Whether `path` lies inside the directory `ancestor` (both canonical).
public func isBelow(_ path: String, _ ancestor: String) -> Bool {
    path.hasPrefix(ancestor + "/")
}
