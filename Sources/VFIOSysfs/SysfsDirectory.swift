import Glibc
import LinuxSystem

/// An open sysfs directory whose attributes are read with `*at` calls, so the
/// path through `/sys/bus/pci/devices/X` is resolved once per device.
/// Problems name the full path.
final class SysfsDirectory: Sendable {
    let path: String
    private let handle: FileDescriptor
    private var fd: Int32 { handle.rawValue }

    init(_ path: String) throws(AttributeProblem) {
        ReadRecorder.note(path, .presence)
        do { handle = try FileDescriptor.open(path, flags: O_RDONLY | O_DIRECTORY) } catch {
            throw AttributeProblem(path: path, errno: error)
        }
        self.path = path
    }

    /// The subdirectory `name` of `parent`, resolved from the parent's open
    /// descriptor: the kernel walks one component, not the whole path.
    init(_ name: String, in parent: SysfsDirectory) throws(AttributeProblem) {
        ReadRecorder.note(parent.path(of: name), .presence)
        do { handle = try FileDescriptor.open(name, flags: O_RDONLY | O_DIRECTORY, at: parent.fd) } catch {
            throw AttributeProblem(path: parent.path(of: name), errno: error)
        }
        path = parent.path(of: name)
    }

    func path(of name: String) -> String { path + "/" + name }

    func read(_ name: String) -> Result<String, AttributeProblem> {
        ReadRecorder.note(path(of: name), .contents)
        return AttributeFile.read(name, at: fd).problem(path(of: name))
    }

    /// The attribute's bytes, newline stripped, handed to `body`; nil when the file does not exist.
    func withOptionalContents<R>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> R)
        -> Result<R?, AttributeProblem>
    {
        ReadRecorder.note(path(of: name), .contents)
        return AttributeFile.withContents(name, at: fd, body).optional(path(of: name))
    }

    /// The attribute's bytes, newline stripped, handed to `body`.
    func withContents<R>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> Result<R, AttributeProblem> {
        ReadRecorder.note(path(of: name), .contents)
        return AttributeFile.withContents(name, at: fd, body).problem(path(of: name))
    }

    func readByte(_ name: String, offset: Int) -> Result<UInt8?, AttributeProblem> {
        ReadRecorder.note(path(of: name), .contents)
        return AttributeFile.readByte(name, offset: offset, at: fd).problem(path(of: name))
    }

    func linkName(_ name: String) -> Result<String, AttributeProblem> {
        ReadRecorder.note(path(of: name), .link)
        return AttributeFile.linkName(name, at: fd).problem(path(of: name))
    }

    /// A link that may legitimately be absent: nil for ENOENT.
    func optionalLinkName(_ name: String) -> Result<String?, AttributeProblem> {
        ReadRecorder.note(path(of: name), .link)
        return AttributeFile.linkName(name, at: fd).optional(path(of: name))
    }

    func list(_ name: String) -> Result<[String], AttributeProblem> {
        ReadRecorder.note(path(of: name), .listing)
        return AttributeFile.list(name, at: fd).problem(path(of: name))
    }
}
