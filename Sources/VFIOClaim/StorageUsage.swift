import LinuxSystem
import VFIOCore
import VFIOHost
import VFIOSysfs

/// File systems, swap and stacked block devices that live on one PCI function:
/// its own disks and partitions, the dm/md and loop devices stacked on them,
/// and the file systems that a virtio-9p or virtiofs device or a network
/// interface of the function serves.
package struct StorageUsage {
    let paths: HostPaths
    let host: HostTables

    /// A mount that depends on the function, and how.
    private struct Served {
        let mount: Mount
        let how: String
        let evidence: [Evidence]
    }

    /// The hazards of taking `function`, whose interfaces (with their masters
    /// and upper devices) are `carriers`.
    func hazards(_ function: FunctionDevices, carriers: [String: String]) -> [Hazard] {
        let device = function.address.description
        var hazards: [Hazard] = []
        // Device numbers that live on the function, each with how it was found.
        var on: [DeviceNumber: String] = [:]
        for block in function.blocks { on[block.node.number] = "/dev/" + block.name }

        for block in function.blocks {
            for holder in holders(block.path) {
                hazards.append(Hazard(
                    .blockHolder, device: device,
                    "\(device) backs /dev/\(block.name), held by \(holder) (device-mapper, md or LVM)",
                    fix: "deactivate \(holder) (dmsetup remove, mdadm --stop or vgchange -an) before claiming, "
                        + "or pass --force",
                    evidence: [.init(block.path + "/holders", holder)]))
            }
        }
        stackedHolders(of: function.blocks.map(\.path), into: &on)

        let served = servedByVirtio(function) + servedOverNetwork(carriers)
        for entry in served { on[entry.mount.number] = on[entry.mount.number] ?? entry.how }
        hazards += loopHazards(device, on: &on)
        hazards += mountHazards(device, on: on, served: served)
        hazards += swapHazards(device, function, on: on)
        hazards += stateHazards(device, on: on)
        hazards += sessionHazards(device, carriers: carriers)
        return hazards
    }

    /// The block devices stacked directly on a block device.
    ///
    /// The corresponding directory is `/sys/.../NAME/holders`.
    private func holders(_ blockPath: String) -> [String] {
        (try? FileSystem.list(blockPath + "/holders").get()) ?? []
    }

    /// Adds every device stacked on the given ones, transitively (dm on md on a partition).
    ///
    /// The corresponding files are `/sys/class/block/NAME/{dev,holders}`.
    private func stackedHolders(of blockPaths: [String], into on: inout [DeviceNumber: String]) {
        var queue = blockPaths.flatMap { path in holders(path).map { ($0, path.split(separator: "/").last ?? "") } }
        var seen = Set<String>()
        while let (name, below) = queue.popLast(), seen.count < 4096 {
            guard seen.insert(name).inserted else { continue }
            let directory = paths.root.blockClass + "/" + name
            if case .success(let text) = FileSystem.readText(directory + "/dev"), let number = DeviceNumber(text) {
                on[number] = on[number] ?? "/dev/\(name) (stacked on /dev/\(below))"
            }
            queue += holders(directory).map { ($0, Substring(name)) }
        }
    }

    /// 9p and virtiofs mounts whose tag belongs to a virtio device of the function.
    ///
    /// The corresponding files are `virtioN/mount_tag` (9p) and
    /// `/sys/fs/virtiofs/N/{tag,device}` (virtiofs, Linux 6.9+).
    private func servedByVirtio(_ function: FunctionDevices) -> [Served] {
        guard !function.virtio.isEmpty else { return [] }
        var tags: [(type: String, tag: String?, device: FunctionDevices.Virtio, file: String)] = []
        for virtio in function.virtio {
            if let tag = virtio.tag { tags.append(("9p", tag, virtio, virtio.path + "/mount_tag")) }
        }
        let fuseDevices = function.virtio.filter { $0.driver == "virtiofs" }
        if !fuseDevices.isEmpty {
            if case .success(let instances) = FileSystem.list(paths.root.virtiofsDevices) {
                for instance in instances {
                    let directory = paths.root.virtiofsDevices + "/" + instance
                    guard let device = realPath(directory + "/device"),
                          let virtio = fuseDevices.first(where: { $0.path == device }),
                          case .success(let tag) = FileSystem.readText(directory + "/tag")
                    else { continue }
                    tags.append(("virtiofs", tag, virtio, directory + "/tag"))
                }
            } else {
                // No tags before Linux 6.9: every virtiofs mount may be this device's.
                for virtio in fuseDevices { tags.append(("virtiofs", nil, virtio, paths.root.virtiofsDevices)) }
            }
        }
        return host.mounts.compactMap { mount in
            guard let match = tags.first(where: { $0.type == mount.type && ($0.tag == nil || $0.tag == mount.source) })
            else { return nil }
            let how = "\(match.type) device \(match.device.name)"
                + (match.tag.map { " (tag \($0))" } ?? " (this kernel does not say which virtiofs tag is whose)")
            return Served(mount: mount, how: how, evidence: [
                .init(match.file, match.tag ?? "missing"),
                .init(paths.root.mountInfo, "\(mount.point) \(mount.type) \(mount.source)"),
            ])
        }
    }

    /// File system types whose data travels over the network.
    private static let networkTypes: Set<String> = [
        "nfs", "nfs4", "cifs", "smb3", "ceph", "glusterfs", "fuse.glusterfs", "fuse.sshfs", "afs", "ncpfs",
    ]

    /// Network file systems whose server is reached through one of the carriers;
    /// one whose server vfioadm cannot place counts when a carrier holds the default route.
    private func servedOverNetwork(_ carriers: [String: String]) -> [Served] {
        guard !carriers.isEmpty else { return [] }
        return host.mounts.compactMap { mount in
            let overTCP = mount.type == "9p" && mount.option("trans").map { $0 != "virtio" && $0 != "xen" } == true
            guard Self.networkTypes.contains(mount.type) || overTCP else { return nil }
            let evidence = Evidence(paths.root.mountInfo, "\(mount.point) \(mount.type) \(mount.source) \(mount.options)")
            if let server = Self.server(of: mount) {
                guard let name = host.routes.interface(for: server), let carrier = carriers[name] else { return nil }
                return Served(mount: mount, how: "its server \(server) is reached over \(carrier)", evidence: [evidence])
            }
            guard let name = host.routes.defaultRouteInterfaces.first(where: { carriers[$0] != nil }),
                  let carrier = carriers[name]
            else { return nil }
            return Served(mount: mount, how: "vfioadm cannot tell its server's address, and \(carrier) carries the "
                              + "default route", evidence: [evidence])
        }
    }

    /// The server address of a network mount: `addr=` or ceph's `mon_addr=`,
    /// else the host part of `host:/path`, `//host/share` or `user@host:path`.
    package static func server(of mount: Mount) -> IPAddress? {
        if let addr = mount.option("addr") ?? mount.option("mon_addr")?.split(separator: "/").first.map(String.init),
           let address = IPAddress(text: addr) ?? IPAddress(text: addr.split(separator: ":").first ?? "") {
            return address
        }
        var source = Substring(mount.source)
        if source.hasPrefix("//") { return IPAddress(text: source.dropFirst(2).prefix { $0 != "/" }) }
        if let at = source.firstIndex(of: "@") { source = source[source.index(after: at)...] }
        if source.hasPrefix("["), let close = source.firstIndex(of: "]") { return IPAddress(text: source[...close]) }
        return IPAddress(text: source.prefix { $0 != ":" })
    }

    /// Loop devices whose backing file lives on the function, transitively (a loop on a loop).
    ///
    /// The corresponding ioctl is `LOOP_GET_STATUS64` (the backing file's device, also after a lazy
    /// unmount), else `stat(2)` of the path in `/sys/class/block/loopN/loop/backing_file`.
    private func loopHazards(_ device: String, on: inout [DeviceNumber: String]) -> [Hazard] {
        var hazards: [Hazard] = []
        var changed = true
        while changed {
            changed = false
            for loop in host.loops where on[loop.number] == nil {
                guard let backing = loop.backingDevice ?? host.fileSystemDevice(paths.root.hostPath(loop.backingFile)),
                      let via = on[backing]
                else { continue }
                on[loop.number] = "/dev/\(loop.name) (backed by \(loop.backingFile))"
                changed = true
                hazards.append(Hazard(
                    .loopDevice, device: device,
                    "\(device) holds \(loop.backingFile) (on \(via)), the backing file of /dev/\(loop.name)",
                    fix: "detach it (losetup -d /dev/\(loop.name)) after unmounting what uses it, or pass --force",
                    evidence: [.init(paths.root.blockClass + "/\(loop.name)/loop/backing_file", loop.backingFile)]))
            }
        }
        return hazards
    }

    private func mountHazards(_ device: String, on: [DeviceNumber: String], served: [Served]) -> [Hazard] {
        host.mounts.compactMap { mount in
            let servedHow = served.first { $0.mount == mount }
            guard let how = servedHow?.how ?? on[mount.number] else { return nil }
            let evidence = servedHow?.evidence ?? [.init(paths.root.mountInfo, "\(mount.number) \(mount.point) \(mount.type) \(mount.source)")]
            let what = servedHow == nil ? "\(device) backs \(how), mounted on \(mount.point)"
                : "\(device) serves \(mount.summary), mounted on \(mount.point): \(how)"
            if mount.point == "/" {
                return Hazard(.rootFileSystem, device: device, what + ": it is the root file system",
                              fix: "none: vfioadm never takes the device of the root file system, not even with --force",
                              evidence: evidence)
            }
            let fix = mount.type == "9p" && servedHow != nil
                ? "unmount \(mount.point) (umount \(mount.point)) first: while it is mounted the kernel's "
                    + "p9_virtio_remove waits, so an unbind with --force blocks until it is unmounted"
                : "unmount \(mount.point) (umount \(mount.point)) before claiming, or pass --force to lose it"
            return Hazard(.mountedFileSystem, device: device, what, fix: fix, evidence: evidence)
        }
    }

    /// Swap partitions and swap files on the function.
    ///
    /// The corresponding file is `/proc/swaps`, then `stat(2)` of each entry.
    private func swapHazards(_ device: String, _ function: FunctionDevices, on: [DeviceNumber: String]) -> [Hazard] {
        host.swaps.compactMap { swap in
            let path = paths.root.hostPath(swap.filename)
            let via: String?
            if swap.type == "partition" {
                let name = swap.filename.split(separator: "/").last.map(String.init) ?? swap.filename
                via = host.blockDevice(path).flatMap { on[$0] }
                    ?? function.blocks.first { $0.name == name }.map { "/dev/" + $0.name }
            } else {
                via = host.fileSystemDevice(path).flatMap { on[$0] }
            }
            guard let via else { return nil }
            let what = swap.type == "partition" ? "\(device) backs \(via), in use as swap"
                : "\(device) holds the swap file \(swap.filename) (on \(via))"
            return Hazard(.swap, device: device, what,
                          fix: "swapoff \(swap.filename) before claiming, or pass --force",
                          evidence: [.init(paths.root.swaps, "\(swap.filename) \(swap.type)")])
        }
    }

    /// The file system holding the state directory (or its nearest existing parent).
    ///
    /// The corresponding call is `stat(2)` of the state directory.
    private func stateHazards(_ device: String, on: [DeviceNumber: String]) -> [Hazard] {
        guard let (directory, number) = host.nearestFileSystemDevice(paths.state), let via = on[number] else { return [] }
        return [Hazard(.stateFileSystem, device: device,
                       "\(device) backs \(via), the file system of vfioadm's state directory \(paths.state)",
                       fix: "none with --force: the journals that undo a claim would go with it; use a state "
                           + "directory on another device (--state-dir)",
                       evidence: [.init(directory, "st_dev \(number)")])]
    }

    /// iSCSI connections routed over a carrier, and connected NBD devices while a carrier holds a route.
    ///
    /// The corresponding files are `/sys/class/iscsi_connection/*/persistent_address`
    /// and `/sys/class/block/nbdN/pid`.
    private func sessionHazards(_ device: String, carriers: [String: String]) -> [Hazard] {
        guard !carriers.isEmpty else { return [] }
        var hazards: [Hazard] = []
        if case .success(let connections) = FileSystem.list(paths.root.iscsiConnections) {
            for connection in connections {
                let file = paths.root.iscsiConnections + "/\(connection)/persistent_address"
                guard case .success(let text) = FileSystem.readText(file), let address = IPAddress(text: text),
                      let name = host.routes.interface(for: address), let carrier = carriers[name]
                else { continue }
                hazards.append(Hazard(
                    .networkStorage, device: device,
                    "\(device) carries iSCSI \(connection) to \(address) over \(carrier)",
                    fix: "log out of the session (iscsiadm -m session -u) before claiming, or pass --force",
                    evidence: [.init(file, text)]))
            }
        }
        let routed = host.routes.routedInterfaces.filter { carriers[$0] != nil }
        if let name = routed.sorted().first, let carrier = carriers[name],
           case .success(let names) = FileSystem.list(paths.root.blockClass) {
            for nbd in names where nbd.hasPrefix("nbd") {
                let file = paths.root.blockClass + "/\(nbd)/pid"
                guard case .success(let pid) = FileSystem.readText(file) else { continue }
                hazards.append(Hazard(
                    .networkStorage, device: device,
                    "/dev/\(nbd) is connected (client pid \(pid)) and \(device) carries routed traffic over \(carrier); "
                        + "vfioadm cannot tell where its socket goes",
                    fix: "disconnect it (nbd-client -d /dev/\(nbd)) before claiming, or pass --force",
                    evidence: [.init(file, pid)]))
            }
        }
        return hazards
    }
}
