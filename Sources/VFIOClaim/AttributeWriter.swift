import Glibc
import LinuxSystem
import VFIOCore

/// Performs sysfs writes. The kernel's implementation is the default; tests
/// replace it with one that plays the kernel's part on a tree.
public protocol AttributeWriter: Sendable {
    /// Writes the whole value in one `write(2)`, as sysfs store callbacks expect.
    func perform(_ write: SysfsWrite) -> Result<Void, Errno>
}

extension AttributeWriter {
    /// Makes the writes in order and returns them; the first that fails stops
    /// it with the file and the errno. A write to `drivers_probe` that finds no
    /// driver for the device (EINVAL, ENODEV) counts as done: it stays unbound.
    func performAll(_ writes: [SysfsWrite], probe: String) throws(ClaimError) -> [SysfsWrite] {
        for write in writes {
            switch perform(write) {
            case .success: continue
            case .failure(let errno) where write.path == probe && (errno.rawValue == EINVAL || errno.rawValue == ENODEV):
                continue
            case .failure(let errno): throw ClaimError.write(write, errno)
            }
        }
        return writes
    }
}

/// Writes to the live sysfs.
public struct KernelAttributeWriter: AttributeWriter {
    public init() {}

    /// The corresponding system calls are `open(2)` and `write(2)` of the attribute.
    public func perform(_ write: SysfsWrite) -> Result<Void, Errno> {
        do throws(Errno) {
            let attribute = try FileDescriptor.open(write.path, flags: O_WRONLY)
            let bytes = Array(write.value.utf8)
            let count = try bytes.withUnsafeBytes { attribute.write($0) }.get()
            // The store callback saw this one write; the rest in a second one would be a value of its own.
            guard count == bytes.count else { return .failure(Errno(rawValue: EIO)) }
            return .success(())
        } catch {
            return .failure(error)
        }
    }
}
