import Glibc

/// Symbolic names for the errnos sysfs and VFIO return.
public enum ErrnoName {
    public static func of(_ code: Int32) -> String {
        switch code {
        case EPERM: "EPERM"
        case ENOENT: "ENOENT"
        case EINTR: "EINTR"
        case EIO: "EIO"
        case EBADF: "EBADF"
        case EAGAIN: "EAGAIN"
        case ENOMEM: "ENOMEM"
        case EACCES: "EACCES"
        case EFAULT: "EFAULT"
        case EBUSY: "EBUSY"
        case EEXIST: "EEXIST"
        case ENODEV: "ENODEV"
        case ENOTDIR: "ENOTDIR"
        case EISDIR: "EISDIR"
        case EINVAL: "EINVAL"
        case ENOSPC: "ENOSPC"
        case ENOTTY: "ENOTTY"
        case E2BIG: "E2BIG"
        case ELOOP: "ELOOP"
        case ENAMETOOLONG: "ENAMETOOLONG"
        case EOPNOTSUPP: "EOPNOTSUPP"
        case EADDRINUSE: "EADDRINUSE"
        case EMSGSIZE: "EMSGSIZE"
        case EOVERFLOW: "EOVERFLOW"
        case EBADFD: "EBADFD"
        case EROFS: "EROFS"
        default: "errno \(code)"
        }
    }
}
