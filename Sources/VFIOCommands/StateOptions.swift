import Glibc
import ArgumentParser
import VFIOClaim
import VFIOCore
import VFIOSysfs

/// Where claims keep their journals and lock, and the device-node root.
struct StateOptions: ParsableArguments {
    @Option(name: .customLong("state-dir"),
            help: ArgumentHelp("Keep the journals and the lock in DIR (an absolute path).", valueName: "DIR"))
    var stateDirectory = "/run/vfioadm"

    @OptionGroup var configuration: ConfigDirectoryOptions
    @OptionGroup var nodes: DeviceNodeOptions

    func validate() throws {
        try AbsolutePath.check("--state-dir", stateDirectory)
    }

    func paths(_ global: GlobalOptions) -> HostPaths {
        HostPaths(sysfs: global.root, dev: nodes.dev, state: stateDirectory, config: configuration.configDirectory)
    }
}

/// Where the persistent claims are kept.
struct ConfigDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("config-dir"),
            help: ArgumentHelp("Keep the persistent claims in DIR/claims (an absolute path).", valueName: "DIR"))
    var configDirectory = "/etc/vfioadm"

    func validate() throws {
        try AbsolutePath.check("--config-dir", configDirectory)
    }
}

/// A directory option that becomes a path: absolute, no NUL, no `..`.
enum AbsolutePath {
    static func check(_ option: String, _ value: String) throws(ValidationError) {
        guard value.hasPrefix("/"), !value.utf8.contains(0), !value.split(separator: "/").contains("..") else {
            throw ValidationError("\(option) \(value.debugDescription) must be an absolute path without '..'")
        }
    }
}

/// Claims and releases write to sysfs: only root may.
enum RootRequirement {
    static func check(_ command: String) throws(CommandFailure) {
        guard geteuid() != 0 else { return }
        throw CommandFailure(.permission, code: "not-root",
                             "\(command) writes to /sys/bus/pci and the state directory: run it as root"
                                 + (command == "claim" ? " (claim --dry-run shows the plan without root)" : ""))
    }
}

extension CommandFailure {
    /// The exit status each kind of claim error maps to.
    init(_ error: ClaimError) {
        let status: ExitStatus = switch error.kind {
        case .usage: .usage
        case .unavailable: .unavailable
        case .permission: .permission
        case .unassignable: .notViable
        case .refused: .refused
        case .failed: .failure
        }
        self.init(status, code: error.code, error.message, path: error.path, errno: error.errno?.rawValue)
    }
}

extension Target {
    /// The groups the targets name, each once, in order; a device without a
    /// group is refused with the reason (69).
    static func groups(_ targets: [Target], reader: SysfsReader) throws(CommandFailure) -> [IOMMUGroupID] {
        var groups: [IOMMUGroupID] = []
        let hasGroups = (try? reader.groupIDs().get())?.isEmpty == false
        for target in targets {
            let (group, device) = try target.resolve(reader)
            guard let group else {
                let verdict = hasGroups ? device.map { Verdict.noGroup($0.address) } ?? .noIOMMU : .noIOMMU
                let reason = verdict.reasons.first
                throw CommandFailure(.unavailable, code: verdict.status.rawValue,
                                     "\(target): \(reason?.message ?? "no IOMMU group")"
                                         + (reason.map { "\n  fix: \($0.fix)" } ?? ""))
            }
            if !groups.contains(group) { groups.append(group) }
        }
        return groups
    }
}
