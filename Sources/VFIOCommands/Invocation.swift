import ArgumentParser
import Glibc
import ReportOutput
import VFIOCore
import VFIOHost

extension VFIOAdm {
    /// Parses, runs and renders one invocation: the only place that writes
    /// output and turns errors into exit statuses.
    public static func main() -> Never {
        let result = execute(arguments: Array(CommandLine.arguments.dropFirst()))
        result.stdout.write(to: STDOUT_FILENO)
        result.stderr.write(to: STDERR_FILENO)
        Glibc.exit(result.status)
    }

    /// What one invocation printed and its status; tests call this directly.
    public static func run(arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let result = execute(arguments: arguments)
        return (result.status, result.stdout.joined, result.stderr.joined)
    }

    private static func execute(arguments: [String]) -> (status: Int32, stdout: OutputText, stderr: OutputText) {
        let wantsJSON = arguments.contains("--json")
        var reporting: any ReportingCommand
        do {
            var command = try parseAsRoot(arguments)
            guard let parsed = command as? any ReportingCommand else {
                try command.run()  // the root or the parser's help command: throws the help request
                return (0, OutputText(""), OutputText(""))
            }
            reporting = parsed
        } catch {
            let code = exitCode(for: error).rawValue
            if code == 0 { return (0, OutputText(fullMessage(for: error) + "\n"), OutputText("")) }  // --help, --version
            let failure = CommandFailure(code == ExitCode.validationFailure.rawValue ? .usage : .failure,
                                         code: "usage", usageMessage(error))
            return render(failure, json: wantsJSON)
        }
        // A support bundle given as --sysfs-root is unpacked for this one command and removed however it ends.
        let bundle: OpenedBundle?
        do { bundle = try reporting.global.openBundle(for: type(of: reporting)) } catch {
            return render(error, json: reporting.global.json)
        }
        defer { bundle?.remove() }
        guard let bundle else { return respond(reporting) }
        reporting.global.sysfsRoot = bundle.path
        let result = respond(reporting)
        let json = reporting.global.json
        return (result.status, result.stdout.showingHostPaths(of: bundle, json: json),
                result.stderr.showingHostPaths(of: bundle, json: json))
    }

    /// Runs a parsed command and renders its report or failure.
    private static func respond(_ reporting: any ReportingCommand) -> (status: Int32, stdout: OutputText, stderr: OutputText) {
        do {
            let output = try reporting.report()
            if reporting.global.json {
                let json: any Encodable = output.selectors.isEmpty ? output.json
                    : WithSelectors(report: output.json, selectors: output.selectors)
                return (output.status.rawValue, encodePieces(json), OutputText(""))
            }
            let notes = output.selectors.map { "vfioadm: \($0.text)\n" }.joined()
            return (output.status.rawValue, OutputText(output.text + "\n"), OutputText(notes))
        } catch {
            return render(error, json: reporting.global.json)
        }
    }

    /// The parser's message without its `Error: ` prefix (`vfioadm: ` takes its place).
    private static func usageMessage(_ error: any Error) -> String {
        let message = fullMessage(for: error)
        return message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
    }

    private static func render(_ failure: CommandFailure, json: Bool) -> (Int32, OutputText, OutputText) {
        let message = json ? encodePieces(["error": failure]) : OutputText("vfioadm: \(failure.message)\n")
        return (failure.status.rawValue, OutputText(""), message)
    }

    /// Pretty JSON with sorted keys and unescaped slashes, as Foundation's
    /// `JSONEncoder` writes it (`ReportJSONEncoder` makes the same bytes
    /// faster), and a newline.
    private static func encodePieces(_ value: any Encodable) -> OutputText {
        (try? ReportJSONEncoder.encodePieces(value, suffix: "\n")) ?? OutputText("{}\n")
    }
}
