import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

extension VFIOAdm {
    /// Parses, runs and renders one invocation: the only place that writes
    /// output and turns errors into exit statuses.
    public static func main() -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let result = run(arguments: arguments)
        write(result.stdout, to: STDOUT_FILENO)
        write(result.stderr, to: STDERR_FILENO)
        Glibc.exit(result.status)
    }

    /// What one invocation printed and its status; tests call this directly.
    public static func run(arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let wantsJSON = arguments.contains("--json")
        let reporting: any ReportingCommand
        do {
            var command = try parseAsRoot(arguments)
            guard let parsed = command as? any ReportingCommand else {
                try command.run()  // the root or the parser's help command: throws the help request
                return (0, "", "")
            }
            reporting = parsed
        } catch {
            let code = exitCode(for: error).rawValue
            if code == 0 { return (0, fullMessage(for: error) + "\n", "") }  // --help, --version
            let failure = CommandFailure(code == ExitCode.validationFailure.rawValue ? .usage : .failure,
                                         code: "usage", usageMessage(error))
            return render(failure, json: wantsJSON)
        }
        do {
            let output = try reporting.report()
            return (output.status.rawValue, reporting.global.json ? encode(output.json) : output.text + "\n", "")
        } catch {
            return render(error, json: reporting.global.json)
        }
    }

    /// The parser's message without its `Error: ` prefix (`vfioadm: ` takes its place).
    private static func usageMessage(_ error: any Error) -> String {
        let message = fullMessage(for: error)
        return message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
    }

    private static func render(_ failure: CommandFailure, json: Bool) -> (Int32, String, String) {
        return (failure.status.rawValue, "", json ? encode(["error": failure]) : "vfioadm: \(failure.message)\n")
    }

    /// Pretty JSON with sorted keys and unescaped slashes, as Foundation's
    /// `JSONEncoder` writes it (`ReportJSONEncoder` makes the same bytes
    /// faster), and a newline.
    static func encode(_ value: any Encodable) -> String {
        (try? ReportJSONEncoder.encode(value, suffix: "\n")) ?? "{}\n"
    }

    /// Writes all of `text` from its own storage, retrying short writes and EINTR.
    private static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { utf8 in
            var done = 0
            while done < utf8.count {
                let count = Glibc.write(fd, utf8.baseAddress! + done, utf8.count - done)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return }
                done += count
            }
        }
    }
}
