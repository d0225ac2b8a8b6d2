import Glibc
import Dispatch
import LinuxSystem
import VFIOCore
import VFIOSysfs

/// A sysfs write that has not returned within the bound: an unbind waits for
/// the driver's remove callback, which can wait for users of the device forever.
public struct StuckWrite: Sendable {
    public let write: SysfsWrite
    /// The group whose journal keeps the write as pending.
    public let group: IOMMUGroupID
    /// That journal, which `vfioadm status` reads.
    public let journal: String
    /// How long it had been waiting when this was reported.
    public let seconds: Double
    /// What the kernel is most likely waiting for.
    public let cause: String
}

/// How long one sysfs write may take before vfioadm reports it stuck, and
/// where the report goes (the CLI prints it on stderr).
public struct WriteWatch: Sendable {
    public let seconds: Double
    public let report: @Sendable (StuckWrite) -> Void

    public init(seconds: Double, report: @escaping @Sendable (StuckWrite) -> Void) {
        self.seconds = seconds
        self.report = report
    }

    /// Makes `write` on a worker thread; if it has not returned after `seconds`,
    /// reports it (once) and keeps waiting. Returns the result and whether it was stuck.
    func perform(_ write: SysfsWrite, group: IOMMUGroupID, with writer: any AttributeWriter, paths: HostPaths)
        -> (result: Result<Void, Errno>, stuckFor: Double?)
    {
        // Read before the write: an unbind unregisters the device's children first.
        let cause = Self.cause(of: write, paths: paths)
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let start = DispatchTime.now()
        DispatchQueue.global().async {
            box.result = writer.perform(write)
            done.signal()
        }
        guard done.wait(timeout: start + seconds) == .timedOut else { return (box.result, nil) }
        report(StuckWrite(write: write, group: group, journal: paths.journal(group), seconds: seconds, cause: cause))
        done.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return (box.result, elapsed)
    }

    /// The likely reason a write blocks, from the driver it goes to and what is below the device.
    ///
    /// The corresponding files are the device's virtio children and their `driver` links.
    static func cause(of write: SysfsWrite, paths: HostPaths) -> String {
        guard write.path.hasSuffix("/unbind") else {
            return "the driver's probe has not returned; dmesg shows what it waits for"
        }
        let driver = write.path.split(separator: "/").dropLast().last.map(String.init) ?? ""
        let path = realPath(paths.root.device(write.device)) ?? paths.root.device(write.device)
        let virtio = FunctionDevices.virtio(below: write.device, path: path, root: paths.root)
        if let share = virtio.first(where: { $0.driver == "9pnet_virtio" }) {
            return "\(share.name) is a virtio-9p device: the kernel's p9_virtio_remove waits until every 9p mount "
                + "of tag \(share.tag ?? "?") is unmounted (dmesg: 'p9_virtio_remove: waiting for device in use'); "
                + "unmount it and the write returns"
        }
        if DriverName(rawValue: driver)?.isVFIO == true {
            return "\(driver) waits for the process using the device (a VMM) to close it; the kernel has asked it "
                + "to (dmesg: 'Relaying device request to user'); stop that process and the write returns"
        }
        return "\(driver)'s remove callback has not returned: it waits for the device's users (open nodes, "
            + "mounts, outstanding I/O); dmesg and /proc/\(getpid())/task/*/stack show where"
    }
}

/// The result of a write made on another thread; the semaphore orders the accesses.
private final class ResultBox: @unchecked Sendable {
    var result: Result<Void, Errno> = .failure(Errno(rawValue: EINTR))
}
