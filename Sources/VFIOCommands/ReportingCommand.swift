import ArgumentParser

/// What a command produces: a text rendering, a JSON value and an exit status.
/// Commands build it; only `VFIOAdm.run` writes it out.
struct CommandOutput {
    /// Rendered only when asked for: `--json` never needs it.
    private let render: () -> String
    let json: any Encodable
    let status: ExitStatus
    /// The selectors on the command line and what they named.
    let selectors: [SelectorResolution]

    init(text: @autoclosure @escaping () -> String, json: any Encodable, status: ExitStatus,
         selectors: [SelectorResolution] = []) {
        render = text
        self.json = json
        self.status = status
        self.selectors = selectors
    }

    var text: String { render() }
}

/// A subcommand that reports instead of printing, so the root can render
/// every command's result and error the same way.
protocol ReportingCommand: ParsableCommand {
    var global: GlobalOptions { get set }
    func report() throws(CommandFailure) -> CommandOutput
    /// Whether `--sysfs-root` may name a support bundle: only for commands that read and never write.
    static var readsBundles: Bool { get }
}

extension ReportingCommand {
    static var readsBundles: Bool { false }

    /// Unused: `VFIOAdm.run(arguments:)` calls `report()` instead.
    func run() throws {
        throw CommandFailure(.failure, code: "internal", "\(Self._commandName) must be run through VFIOAdm.main")
    }
}
