import Glibc

/// What `stat` says about a file: its type, permission bits, owner, size and device numbers.
public struct FileStatus: Sendable, Equatable {
    /// The file type, from `st_mode & S_IFMT`.
    public enum Kind: Sendable, Equatable {
        case regular, directory, characterDevice, blockDevice, symbolicLink, fifo, socket
    }

    public let kind: Kind
    /// The permission bits, `st_mode & 07777`.
    public let mode: UInt32
    public let uid: UInt32
    public let gid: UInt32
    public let size: Int
    /// The device the file lives on (`st_dev`).
    public let device: DeviceNumber
    /// The device a character or block special file stands for (`st_rdev`).
    public let rdev: DeviceNumber

    init(_ info: stat) {
        kind = switch info.st_mode & S_IFMT {
        case S_IFDIR: .directory
        case S_IFCHR: .characterDevice
        case S_IFBLK: .blockDevice
        case S_IFLNK: .symbolicLink
        case S_IFIFO: .fifo
        case S_IFSOCK: .socket
        default: .regular
        }
        mode = UInt32(info.st_mode & 0o7777)
        uid = info.st_uid
        gid = info.st_gid
        size = Int(info.st_size)
        device = DeviceNumber(rdev: UInt64(info.st_dev))
        rdev = DeviceNumber(rdev: UInt64(info.st_rdev))
    }

    /// The status of `path`, of the link itself unless `followingLinks`.
    ///
    /// The corresponding system calls are `stat(2)` and `lstat(2)`.
    public static func of(_ path: String, followingLinks: Bool = true) -> Result<FileStatus, Errno> {
        Syscall.fstatat(AT_FDCWD, path, flags: followingLinks ? 0 : AT_SYMLINK_NOFOLLOW).map(FileStatus.init)
    }
}

extension FileDescriptor {
    /// The status of the open file (for an `O_PATH` handle, of the name itself).
    ///
    /// The corresponding system call is `fstat(2)`.
    public borrowing func status() -> Result<FileStatus, Errno> {
        Syscall.fstat(rawValue).map(FileStatus.init)
    }
}
