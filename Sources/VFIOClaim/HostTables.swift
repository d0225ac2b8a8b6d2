import Glibc
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The host-wide tables a hazard scan compares a function's devices with,
/// each read once per scan and only when a check needs it.
package final class HostTables {
    /// A loop device and the file behind it.
    struct Loop {
        let name: String
        let number: DeviceNumber
        /// `loop/backing_file`: the path as the kernel prints it.
        let backingFile: String
        /// The device the backing file lives on, from `LOOP_GET_STATUS64`; nil when the node could not be asked.
        let backingDevice: DeviceNumber?
    }

    /// A line of `/proc/swaps`.
    package struct Swap {
        let filename: String
        /// `partition` or `file`.
        let type: String
    }

    let root: HostRoot

    init(root: HostRoot) {
        self.root = root
    }

    /// The corresponding file is `/proc/self/mountinfo`.
    lazy var mounts: [Mount] = {
        guard case .success(let text) = FileSystem.readText(root.mountInfo, limit: 16 << 20) else { return [] }
        return MountTable.parse(text)
    }()

    /// The corresponding file is `/proc/swaps`.
    lazy var swaps: [Swap] = {
        guard case .success(let text) = FileSystem.readText(root.swaps) else { return [] }
        return Self.swaps(parsing: text)
    }()

    /// The entries of `/proc/swaps` text after its header line; lines with fewer than two fields are skipped.
    package static func swaps(parsing text: String) -> [Swap] {
        text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { return nil }
            return Swap(filename: MountTable.unescaped(fields[0]), type: String(fields[1]))
        }
    }

    /// Every loop device with a backing file.
    ///
    /// The corresponding files are `/sys/class/block/loopN/{dev,loop/backing_file}`,
    /// and the ioctl `LOOP_GET_STATUS64` on `/dev/loopN`.
    lazy var loops: [Loop] = {
        guard case .success(let names) = FileSystem.list(root.blockClass) else { return [] }
        return names.filter { $0.hasPrefix("loop") }.compactMap { name -> Loop? in
            let directory = root.blockClass + "/" + name
            guard case .success(let file) = FileSystem.readText(directory + "/loop/backing_file"), !file.isEmpty,
                  case .success(let text) = FileSystem.readText(directory + "/dev"), let number = DeviceNumber(text)
            else { return nil }
            let asked = name.dropFirst(4).allSatisfy(\.isNumber)
                ? try? LoopStatus.backingDevice(self.root.blockNode(name)).get() : nil
            return Loop(name: name, number: number, backingFile: file, backingDevice: asked)
        }
    }()

    /// The corresponding files are `/proc/net/route` and `/proc/net/ipv6_route`.
    lazy var routes: RouteTable = RouteTable(root: root)

    /// The corresponding files are `/proc/net/tcp` and `/proc/net/tcp6`.
    lazy var establishedTCP: [TCPSession] = TCPSession.established(root: root)

    private var listings: [String: [(name: String, target: String)]] = [:]

    /// The entries of a directory of symbolic links with their targets as
    /// stored, read once per scan however many functions ask.
    ///
    /// The corresponding calls are `getdents64(2)` and `readlink(2)` of each entry.
    func links(in directory: String) -> [(name: String, target: String)] {
        if let listed = listings[directory] { return listed }
        let names = (try? FileSystem.list(directory).get()) ?? []
        let listed = names.compactMap { name -> (name: String, target: String)? in
            guard case .success(let target) = FileSystem.readLink(directory + "/" + name) else { return nil }
            return (name, target)
        }
        listings[directory] = listed
        return listed
    }

    /// The device a path's file system lives on (`st_dev`), following symbolic links.
    ///
    /// The corresponding call is `stat(2)`.
    func fileSystemDevice(_ path: String) -> DeviceNumber? {
        try? FileStatus.of(path).get().device
    }

    private var nearest: [String: (String, DeviceNumber)?] = [:]

    /// The device of the file system holding `path`, or its nearest existing
    /// parent (the state directory may not exist yet), with the directory
    /// that answered; asked once per scan however many functions ask.
    ///
    /// The corresponding call is `stat(2)`.
    func nearestFileSystemDevice(_ path: String) -> (directory: String, number: DeviceNumber)? {
        if let known = nearest[path] { return known }
        var directory = path
        var number = fileSystemDevice(directory)
        while number == nil, directory != "/", !directory.isEmpty {
            directory = String(directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)])
            if directory.isEmpty { directory = "/" }
            number = fileSystemDevice(directory)
        }
        let found = number.map { (directory, $0) }
        nearest[path] = .some(found)
        return found
    }

    /// The block device a node path names (`st_rdev` of a block special file).
    ///
    /// The corresponding call is `stat(2)`.
    func blockDevice(_ path: String) -> DeviceNumber? {
        guard case .success(let status) = FileStatus.of(path), status.kind == .blockDevice else { return nil }
        return status.rdev
    }
}
