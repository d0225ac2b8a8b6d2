import Glibc
import ArgumentParser
import ReportOutput
import VFIOClaim

/// `--timeout`: how long claim and release let one sysfs write block before
/// saying on stderr which write is stuck and why.
struct WriteTimeoutOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Report a sysfs write (an unbind waiting for the device's users) that has not "
                                   + "returned after SECONDS (1-3600); a stuck claim write fails the claim once it "
                                   + "returns, and what was done is undone.", valueName: "seconds"))
    var timeout = 10

    func validate() throws {
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout \(timeout) must be 1 to 3600 seconds") }
    }

    /// The watch that prints the notice on stderr as the write blocks, as text or as JSON.
    func watch(json: Bool) -> WriteWatch {
        WriteWatch(seconds: Double(timeout)) { stuck in
            let text = json ? StuckNotice(stuck).json : StuckNotice(stuck).text
            OutputText(text + "\n").write(to: STDERR_FILENO)
        }
    }
}

/// What vfioadm says about a write that has not returned.
struct StuckNotice: Encodable {
    let code = "write-stuck"
    let device: String
    let path: String
    let value: String
    let seconds: Int
    let cause: String
    let journal: String

    init(_ stuck: StuckWrite) {
        device = stuck.write.device.description
        path = stuck.write.path
        value = stuck.write.value
        seconds = Int(stuck.seconds)
        cause = stuck.cause
        journal = stuck.journal
    }

    var text: String {
        "vfioadm: \(device): write \"\(value)\" to \(path) has not returned after \(seconds) s: \(cause). "
            + "\(journal) keeps it as pending (vfioadm status shows it); vfioadm exits when the write returns, "
            + "or on Ctrl-C"
    }

    var json: String { (try? ReportJSONEncoder.encode(self)) ?? text }
}
