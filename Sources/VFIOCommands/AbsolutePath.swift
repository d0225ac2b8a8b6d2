import ArgumentParser

/// A directory option that becomes a path: absolute, no NUL, no `..`.
enum AbsolutePath {
    static func check(_ option: String, _ value: String) throws(ValidationError) {
        guard value.hasPrefix("/"), !value.utf8.contains(0), !value.split(separator: "/").contains("..") else {
            throw ValidationError("\(option) \(value.debugDescription) must be an absolute path without '..'")
        }
    }
}
