import LinuxSystem
import VFIOCore

/// One mounted file system, from a line of `/proc/self/mountinfo`.
package struct Mount: Hashable {
    /// Field 3: the `st_dev` of every file on it (an anonymous `0:N` for 9p, NFS, tmpfs).
    let number: DeviceNumber
    /// Field 5, unescaped.
    let point: String
    /// The first field after ` - `: `ext4`, `9p`, `virtiofs`, `nfs4`.
    let type: String
    /// The field after the type: `/dev/nvme0n1p2`, a virtio mount tag, `server:/export`.
    let source: String
    /// The super-block options, the last field: `rw,trans=virtio`, `rw,vers=4.2,addr=192.0.2.7`.
    let options: String

    /// The value of a super-block option such as `addr=`, when present.
    package func option(_ name: String) -> String? {
        options.split(separator: ",").first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }

    /// `/srv/data (ext4 from /dev/nvme0n1p1)`, as hazards name it.
    var summary: String { "\(point) (\(type) from \(source))" }
}

/// The mounts of the calling process's mount namespace.
package enum MountTable {
    /// Parses mountinfo text; malformed lines are skipped.
    ///
    /// The corresponding file is `/proc/self/mountinfo` (Documentation/filesystems/proc.rst, 3.5).
    package static func parse(_ text: String) -> [Mount] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let separator = fields.firstIndex(of: "-"), separator >= 6, fields.count >= separator + 3,
                  let number = DeviceNumber(fields[2])
            else { return nil }
            return Mount(number: number, point: unescaped(fields[4]), type: unescaped(fields[separator + 1]),
                         source: unescaped(fields[separator + 2]),
                         options: fields.count > separator + 3 ? unescaped(fields[separator + 3]) : "")
        }
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
