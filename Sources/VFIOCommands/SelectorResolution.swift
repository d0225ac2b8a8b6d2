import VFIOSysfs

/// What one selector on the command line resolved to; reports carry these
/// (`selectors` in JSON, a line on stderr with text).
struct SelectorResolution: Encodable, Sendable {
    let selector: String
    let devices: [PCIAddress]

    /// `net:enp0s4 is 0000:00:04.0`
    var text: String { "\(selector) is \(devices.map(\.description).joined(separator: ", "))" }
}

/// A report with the selectors it resolved, as one JSON object: the report's
/// own keys and `selectors`.
struct WithSelectors: Encodable {
    let report: any Encodable
    let selectors: [SelectorResolution]

    private enum CodingKeys: String, CodingKey { case selectors }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(selectors, forKey: .selectors)
    }
}

extension Target {
    /// Parses and resolves one target for a command that takes exactly one device or group.
    static func single(_ argument: String, reader: SysfsReader) throws(CommandFailure)
        -> (target: Target, selectors: [SelectorResolution])
    {
        let parsed: [Target]
        do { parsed = try parseAll([argument]) } catch { throw .usage("bad-target", "\(error)") }
        let (targets, selectors) = try expand(parsed, reader: reader, .one)
        return (targets[0], selectors)
    }

    /// Parses and resolves the targets of a command that takes several.
    static func all(_ arguments: [String], reader: SysfsReader, _ multiplicity: Multiplicity) throws(CommandFailure)
        -> (targets: [Target], selectors: [SelectorResolution])
    {
        let parsed: [Target]
        do { parsed = try parseAll(arguments) } catch { throw .usage("bad-target", "\(error)") }
        return try expand(parsed, reader: reader, multiplicity)
    }

    /// How many functions a selector may name for a command.
    enum Multiplicity {
        /// Exactly one (explain, probe, info).
        case one
        /// Any number (check, release, nodes).
        case any
        /// One, or any with `--all` (claim).
        case oneUnlessAll(Bool)
    }

    /// Replaces every selector by the addresses it names, in order, each
    /// checked before anything else is read. An unknown selector, or one that
    /// names more functions than the command takes, is a usage error (64)
    /// naming it with the candidates.
    static func expand(_ targets: [Target], reader: SysfsReader, _ multiplicity: Multiplicity) throws(CommandFailure)
        -> (targets: [Target], selectors: [SelectorResolution])
    {
        var expanded: [Target] = []
        var selectors: [SelectorResolution] = []
        for target in targets {
            guard case .selector(let selector) = target else {
                expanded.append(target)
                continue
            }
            let devices: [PCIAddress]
            switch selector.resolve(reader) {
            case .success(let found): devices = found
            case .failure(let failure):
                throw .usage("unknown-selector", "\(selector): \(failure.message)"
                    + Self.candidates(failure.candidates))
            }
            if devices.count > 1 {
                switch multiplicity {
                case .any, .oneUnlessAll(true): break
                case .one:
                    throw .usage("ambiguous-selector", "\(selector) names \(devices.count) PCI functions; name one"
                        + Self.candidates(devices.map(\.description)))
                case .oneUnlessAll(false):
                    throw .usage("ambiguous-selector", "\(selector) names \(devices.count) PCI functions; pass --all "
                        + "to claim every one, or name one" + Self.candidates(devices.map(\.description)))
                }
            }
            expanded += devices.map(Target.device)
            selectors.append(SelectorResolution(selector: selector.description, devices: devices))
        }
        return (expanded, selectors)
    }

    private static func candidates(_ names: [String]) -> String {
        names.isEmpty ? "" : "\n  candidates: " + names.joined(separator: ", ")
    }
}
