#if canImport(Glibc)
import Glibc
#endif
import VFIOSysfs

/// Makes sysfs writes one at a time, recording each in the group's journal
/// (synced) before it is made.
struct JournalledWriter {
    let store: JournalStore
    let writer: any AttributeWriter
    /// Called with the running count after every write this process makes (a test hook).
    let afterWrite: (@Sendable (Int) -> Void)?
    private(set) var count = 0

    init(store: JournalStore, writer: any AttributeWriter, afterWrite: (@Sendable (Int) -> Void)?) {
        self.store = store
        self.writer = writer
        self.afterWrite = afterWrite
    }

    /// Records `write` as pending, makes it, then counts it done.
    mutating func perform(_ write: SysfsWrite, journal: inout Journal) throws(ClaimError) {
        journal.pending = write
        journal.pid = getpid()
        try store.save(journal)
        if case .failure(let errno) = writer.perform(write) {
            throw ClaimError.write(write, errno)
        }
        journal.pending = nil
        journal.writesDone += 1
        count += 1
        afterWrite?(count)
    }
}
