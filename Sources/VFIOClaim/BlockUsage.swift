import VFIOCore
import VFIOSysfs

/// Block devices below a PCI function and what uses them: mounts, swap and
/// stacked holders (device-mapper, md, LVM).
struct BlockUsage {
    /// A block device or partition below the function.
    struct Disk {
        let name: String
        let number: DeviceNumber?
        let holders: [String]
    }

    let paths: HostPaths

    /// Every disk and partition whose sysfs directory lies below `devicePath`.
    ///
    /// The corresponding files are `/sys/class/block/NAME/{dev,holders}`.
    func disks(below devicePath: String) -> [Disk] {
        guard case .success(let names) = FileSystem.list(paths.sysfs.blockClass) else { return [] }
        return names.compactMap { name in
            let link = paths.sysfs.blockClass + "/" + name
            guard let resolved = realPath(link), isBelow(resolved, devicePath) else { return nil }
            let number = (try? FileSystem.readText(link + "/dev").get()).flatMap(DeviceNumber.init)
            let holders = (try? FileSystem.list(link + "/holders").get()) ?? []
            return Disk(name: name, number: number, holders: holders)
        }
    }

    /// Mount points by device number.
    ///
    /// The corresponding file is `/proc/self/mountinfo` (field 3 is `major:minor`, field 5 the mount point).
    func mounts() -> [DeviceNumber: [String]] {
        guard case .success(let text) = FileSystem.readText(paths.sysfs.mountInfo, limit: 16 << 20) else { return [:] }
        var byNumber: [DeviceNumber: [String]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, let number = DeviceNumber(fields[2]) else { continue }
            byNumber[number, default: []].append(Self.unescaped(fields[4]))
        }
        return byNumber
    }

    /// The names (last path component) of the block devices in use as swap.
    ///
    /// The corresponding file is `/proc/swaps`.
    func swapNames() -> Set<String> {
        guard case .success(let text) = FileSystem.readText(paths.sysfs.swaps) else { return [] }
        return Set(text.split(separator: "\n").dropFirst().compactMap { line in
            line.split(separator: " ").first.map { Self.unescaped($0).split(separator: "/").last.map(String.init) ?? "" }
        })
    }

    /// The hazards of taking the function whose canonical sysfs directory is `devicePath`.
    func hazards(device: PCIAddress, devicePath: String) -> [Hazard] {
        let disks = disks(below: devicePath)
        guard !disks.isEmpty else { return [] }
        let mounted = mounts()
        let swaps = swapNames()
        var hazards: [Hazard] = []
        for disk in disks {
            for point in disk.number.flatMap({ mounted[$0] }) ?? [] {
                hazards.append(Hazard(
                    .mountedFileSystem, device: device.description,
                    "\(device) backs /dev/\(disk.name), mounted on \(point)",
                    fix: "unmount \(point) (umount \(point)) before claiming, or pass --force to lose it"))
            }
            if swaps.contains(disk.name) {
                hazards.append(Hazard(
                    .swap, device: device.description, "\(device) backs /dev/\(disk.name), in use as swap",
                    fix: "swapoff /dev/\(disk.name) before claiming, or pass --force"))
            }
            for holder in disk.holders {
                hazards.append(Hazard(
                    .blockHolder, device: device.description,
                    "\(device) backs /dev/\(disk.name), held by \(holder) (device-mapper, md or LVM)",
                    fix: "deactivate \(holder) (dmsetup remove, mdadm --stop or vgchange -an) before claiming, "
                        + "or pass --force"))
            }
        }
        return hazards
    }

    /// Undoes the octal escapes (`\040` for a space) that procfs uses in paths.
    static func unescaped(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.first {
            if byte == 0x5C, utf8.count >= 4,
               let value = UInt8(String(decoding: utf8.dropFirst().prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                utf8 = utf8.dropFirst(4)
            } else {
                bytes.append(byte)
                utf8 = utf8.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
