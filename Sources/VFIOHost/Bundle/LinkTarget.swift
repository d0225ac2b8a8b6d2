/// The rule a support bundle's symbolic links follow, so that reading one
/// never leaves it: a relative target made of leading `..` components and
/// then plain names only, whose `..` components do not climb above the
/// bundle's top from the folder the link sits in. Sysfs's own links
/// (`../../../devices/pci0000:00/0000:00:01.0`) already have this form.
public enum LinkTarget {
    /// Whether `target`, stored in a folder `depth` levels below the top, stays inside.
    public static func isContained(_ target: String, depth: Int) -> Bool {
        guard !target.isEmpty, !target.hasPrefix("/") else { return false }
        var climbs = 0
        var named = false
        for component in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case "..":
                guard !named else { return false }
                climbs += 1
            case ".": return false
            default: named = true
            }
        }
        return climbs <= depth
    }

    /// A contained target for a link in `folder` (components below the top)
    /// that points at `target` (absolute from the top, or relative to
    /// `folder`), resolved by names alone; nil for a link at the top to the top.
    public static func contained(_ target: String, folder: [Substring]) -> String? {
        var resolved: [Substring] = target.hasPrefix("/") ? [] : folder
        for component in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !resolved.isEmpty { resolved.removeLast() }
            default: resolved.append(component)
            }
        }
        var shared = 0
        while shared < min(folder.count, resolved.count), folder[shared] == resolved[shared] { shared += 1 }
        var parts = Array(repeating: "..", count: folder.count - shared) + resolved[shared...].map(String.init)
        if parts.isEmpty, let last = folder.last { parts = ["..", String(last)] }  // its own folder
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
