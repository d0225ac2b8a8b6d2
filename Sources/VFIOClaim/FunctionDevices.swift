import LinuxSystem
import VFIOCore
import VFIOHost
import VFIOSysfs

/// What the kernel has made below one PCI function: its block and character
/// devices (each with a node in /dev), network interfaces and virtio devices.
/// A claim unbinds the function's driver, and every one of these goes with it.
struct FunctionDevices {
    /// A block or character device below the function.
    struct Node: Hashable {
        /// The sysfs name: `nvme0n1p1`, `card0`, `ttyS0`.
        let name: String
        let node: DeviceNode
        /// Its canonical sysfs directory.
        let path: String
    }

    /// A virtio device below the function (a virtio-pci transport).
    struct Virtio: Hashable {
        let name: String
        let driver: String?
        /// `mount_tag` of a virtio-9p device.
        let tag: String?
        let path: String
    }

    let address: PCIAddress
    /// The function's canonical sysfs directory.
    let path: String
    let blocks: [Node]
    let chars: [Node]
    let interfaces: [String]
    let virtio: [Virtio]

    /// Reads everything below the function whose canonical directory is `path`.
    ///
    /// The corresponding files are the links in `/sys/dev/block`, `/sys/dev/char`,
    /// `/sys/class/net` and `/sys/bus/virtio/devices`, and `virtioN/mount_tag`.
    init(address: PCIAddress, path: String, root: HostRoot, host: HostTables) {
        self.address = address
        self.path = path
        func below(_ directory: String) -> [(name: String, path: String)] {
            Self.below(host.links(in: directory), directory: directory, address: address, path: path)
        }
        func nodes(_ directory: String, isBlock: Bool) -> [Node] {
            below(directory).compactMap { entry in
                guard let number = DeviceNumber(entry.name) else { return nil }
                let name = entry.path.split(separator: "/").last.map(String.init) ?? entry.name
                return Node(name: name, node: DeviceNode(isBlock: isBlock, number: number), path: entry.path)
            }
        }
        blocks = nodes(root.blockNumbers, isBlock: true)
        chars = nodes(root.charNumbers, isBlock: false)
        interfaces = below(root.netClass).map(\.name)
        virtio = Self.virtio(below(root.virtioDevices))
    }

    /// The virtio devices below the function, with their drivers and 9p tags (for one function alone).
    ///
    /// The corresponding files are the links in `/sys/bus/virtio/devices`, `virtioN/driver` and `virtioN/mount_tag`.
    static func virtio(below address: PCIAddress, path: String, root: HostRoot) -> [Virtio] {
        virtio(below(HostTables(root: root).links(in: root.virtioDevices), directory: root.virtioDevices,
                     address: address, path: path))
    }

    private static func virtio(_ entries: [(name: String, path: String)]) -> [Virtio] {
        entries.map { entry in
            Virtio(name: entry.name, driver: try? FileSystem.linkName(entry.path + "/driver").get(),
                   tag: (try? FileSystem.readText(entry.path + "/mount_tag").get()).map { tag in
                       String(tag.prefix { $0 != "\0" })  // older kernels print the tag with its NUL
                   }, path: entry.path)
        }
    }

    /// The links of a directory whose targets resolve below `path`. Each
    /// target names the device's path under /sys/devices, so those that do not
    /// mention the function are skipped before resolving them.
    private static func below(_ links: [(name: String, target: String)], directory: String, address: PCIAddress,
                              path: String) -> [(name: String, path: String)] {
        let marker = "/" + address.description + "/"
        return links.compactMap { link in
            guard link.target.contains(marker), let resolved = realPath(directory + "/" + link.name),
                  isBelow(resolved, path)
            else { return nil }
            return (link.name, resolved)
        }
    }

    /// The `/dev` name of a node: `DEVNAME` from its `uevent` (`dri/card0`), else its sysfs name.
    ///
    /// The corresponding file is `/sys/.../NAME/uevent`.
    static func devName(_ node: Node) -> String {
        if case .success(let text) = FileSystem.readText(node.path + "/uevent"),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("DEVNAME=") }) {
            return "/dev/" + line.dropFirst("DEVNAME=".count)
        }
        return "/dev/" + node.name
    }
}
