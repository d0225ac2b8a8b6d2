import Glibc
import VFIOSysfs

/// Makes sysfs writes one at a time, recording each in the group's journal
/// (synced) before it is made.
struct JournalledWriter {
    let store: JournalStore
    let writer: any AttributeWriter
    /// Called with the running count after every write this process makes (a test hook).
    let afterWrite: (@Sendable (Int) -> Void)?
    /// The bound after which a write is reported stuck; nil waits silently.
    let watch: WriteWatch?
    private(set) var count = 0

    init(store: JournalStore, writer: any AttributeWriter, afterWrite: (@Sendable (Int) -> Void)?,
         watch: WriteWatch? = nil) {
        self.store = store
        self.writer = writer
        self.afterWrite = afterWrite
        self.watch = watch
    }

    /// Records `write` as pending, makes it, then counts it done. With
    /// `failIfStuck`, a write that outlasted the watch's bound fails once it
    /// returns (the caller rolls back); otherwise it was only reported.
    mutating func perform(_ write: SysfsWrite, journal: inout Journal, failIfStuck: Bool = false) throws(ClaimError) {
        journal.pending = write
        journal.pid = getpid()
        try store.save(journal)
        let (result, stuckFor) = watch.map { $0.perform(write, group: journal.group, with: writer, paths: store.paths) }
            ?? (writer.perform(write), nil)
        if case .failure(let errno) = result {
            throw ClaimError.write(write, errno)
        }
        journal.pending = nil
        journal.writesDone += 1
        count += 1
        afterWrite?(count)
        if failIfStuck, let stuckFor, let watch {
            throw ClaimError(.failed, code: "write-stuck",
                             "\(write.device): write \"\(write.value)\" to \(write.path) took "
                                 + "\(Int(stuckFor.rounded())) s, past --timeout \(Int(watch.seconds)) s",
                             path: write.path, device: write.device.description)
        }
    }
}
