#if canImport(Glibc)
import Glibc
#endif

/// Raw reads of sysfs files, links and directories with plain syscalls: no
/// Foundation on this path, which runs thousands of times per `list`.
enum SysfsFile {
    /// Reads a small attribute file and strips the trailing newline.
    static func read(_ path: String, at directory: Int32 = AT_FDCWD) -> Result<String, AttributeProblem> {
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(problem(path, errno)) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var length = 0
        while length < buffer.count {
            let count = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + length, raw.count - length)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(problem(path, errno))
            }
            if count == 0 { break }
            length += count
        }
        while length > 0, buffer[length - 1] == 0x0A { length -= 1 }
        return .success(String(decoding: buffer[0..<length], as: UTF8.self))
    }

    /// Reads `count` bytes at `offset` of a binary attribute such as `config`.
    static func readBytes(_ path: String, offset: Int, count: Int, at directory: Int32 = AT_FDCWD)
        -> Result<[UInt8], AttributeProblem>
    {
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(problem(path, errno)) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while true {
            got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            if got < 0, errno == EINTR { continue }
            break
        }
        guard got >= 0 else { return .failure(problem(path, errno)) }
        return .success(Array(buffer[0..<got]))
    }

    /// The target of a symbolic link, or the errno (ENOENT when there is no link).
    static func readLink(_ path: String, at directory: Int32 = AT_FDCWD) -> Result<String, AttributeProblem> {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBufferPointer { readlinkat(directory, path, $0.baseAddress!, $0.count) }
        guard count >= 0 else { return .failure(problem(path, errno)) }
        return .success(String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The last path component of a link's target, e.g. `nvme` for `driver`.
    static func linkName(_ path: String, at directory: Int32 = AT_FDCWD) -> Result<String, AttributeProblem> {
        readLink(path, at: directory).map { target in
            target.split(separator: "/").last.map(String.init) ?? target
        }
    }

    /// The names in a directory, without `.` and `..`, unsorted.
    static func list(_ path: String) -> Result<[String], AttributeProblem> {
        guard let dir = opendir(path) else { return .failure(problem(path, errno)) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return .success(names)
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    private static func problem(_ path: String, _ code: Int32) -> AttributeProblem {
        AttributeProblem(path: path, errno: code)
    }
}

/// An open sysfs directory whose attributes are read with `*at` calls, so the
/// path through `/sys/bus/pci/devices/X` is resolved once per device.
/// Problems name the full path.
final class SysfsDirectory {
    let path: String
    private let fd: Int32

    init(_ path: String) throws(AttributeProblem) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw AttributeProblem(path: path, errno: errno) }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    func read(_ name: String) -> Result<String, AttributeProblem> {
        SysfsFile.read(name, at: fd).mapError(rebase)
    }

    func readBytes(_ name: String, offset: Int, count: Int) -> Result<[UInt8], AttributeProblem> {
        SysfsFile.readBytes(name, offset: offset, count: count, at: fd).mapError(rebase)
    }

    func linkName(_ name: String) -> Result<String, AttributeProblem> {
        SysfsFile.linkName(name, at: fd).mapError(rebase)
    }

    func exists(_ name: String) -> Bool {
        faccessat(fd, name, F_OK, 0) == 0
    }

    private func rebase(_ problem: AttributeProblem) -> AttributeProblem {
        AttributeProblem(path: path + "/" + problem.path, errno: problem.errno, reason: problem.reason)
    }
}
