import Glibc
import ArgumentParser
import LinuxSystem
import ReportOutput
import VFIOClaim
import VFIOCore
import VFIOHost
import VFIOSysfs

extension VFIOAdm {
    struct Capture: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a support bundle of exactly what list, check, explain and doctor read on this host.",
            discussion: """
            Runs list (also --wide), check and explain for every group and every device without one, and doctor, \
            recording every file, link and folder they read; then copies those into FILE.tar.gz \
            with the kernel's own relative links, the pci.ids lines for the vendors present, the modules.alias \
            lines that match the devices present, and manifest.json (host, kernel, time, vfioadm version, every \
            path read, and what could not be read with the errno). Run as root: otherwise config space stops at \
            64 bytes and the bundle holds only that. Device nodes under /dev are probed, not read, and are not \
            captured. Give the bundle, or the folder it unpacks to, as --sysfs-root: list, check, explain and \
            doctor then answer as this host did, except doctor's probes of the nodes, memlock limit and \
            privileges, which are the reading host's. The bundle is unpacked with tar into a private \
            temporary folder, checked (only folders, files and links that stay inside) and removed afterwards.
            """)

        static let readsBundles = true

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The bundle to write (replaced if it exists).", valueName: "FILE.tar.gz"))
        var file: String

        func validate() throws {
            let name = file.split(separator: "/").last.map(String.init) ?? ""
            guard !file.utf8.contains(0), name.hasSuffix(".tar.gz"), name.count > ".tar.gz".count else {
                throw ValidationError("capture \(file.debugDescription): name the bundle FILE.tar.gz")
            }
        }

        func report() throws(CommandFailure) -> CommandOutput {
            let reader = try global.reader()
            let folder = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "."
            try Self.requireFolder(folder.isEmpty ? "/" : folder, for: file)

            let snapshot = reader.snapshot()
            let devices = snapshot.groups.flatMap(\.devices) + snapshot.ungroupedDevices
            let commands = Self.commands(groups: snapshot.groups.map(\.id),
                                         ungrouped: snapshot.ungroupedDevices.map(\.address))
            let root = reader.root
            let (aliases, recorded) = ReadRecorder.recording { () -> (path: String, bytes: [UInt8])? in
                for command in commands {
                    _ = VFIOAdm.run(arguments: command + ["--sysfs-root", root.path, "--json"])
                }
                return ModulesAlias.subset(root: root, devices: devices)
            }

            let staging: String
            switch LocalTree.makeTemporaryDirectory(prefix: "vfioadm-capture") {
            case .success(let made): staging = made
            case .failure(let error):
                throw CommandFailure(.failure, code: "capture-failed",
                                     "cannot make a temporary folder for \(file): \(error)", errno: error)
            }
            defer { LocalTree.remove(staging) }

            var mirror = BundleMirror(root: root.path, staging: staging)
            var reads: [String: ReadKind] = [:]
            var skipped: [String: ReadKind] = [:]
            let devRoot = root.hostPath("dev")
            for (path, kind) in recorded {
                if mirror.relative(path) == nil || path == devRoot || path.hasPrefix(devRoot + "/") {
                    skipped[path] = kind
                } else {
                    reads[path] = kind
                }
            }
            let ids = Set(devices.compactMap { device in
                device.vendorID.flatMap { vendor in device.deviceID.map { UInt32(vendor) << 16 | UInt32($0) } }
            })
            mirror.replacements = Self.pciIDsSubsets(reads, root: root, devices: ids)
            if let aliases { mirror.replacements[aliases.path] = aliases.bytes }
            for (path, kind) in reads.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
                mirror.copy(path, kind)
            }
            if let (path, error) = mirror.writeFailure {
                throw CommandFailure(.failure, code: "capture-failed", "cannot write \(path) for \(file): \(error)",
                                     path: path, errno: error)
            }

            let asRoot = geteuid() == 0
            let manifest = BundleManifest(vfioadmVersion: VFIOAdmVersion.current, sysfsRoot: root.path,
                                          commands: commands, reads: reads, skipped: skipped, mirror: mirror,
                                          asRoot: asRoot)
            let manifestPath = staging + "/" + BundleManifest.fileName
            let manifestText = (try? ReportJSONEncoder.encode(manifest, suffix: "\n")) ?? "{}\n"
            if case .failure(let error) = LocalTree.writeFile(manifestPath, Array(manifestText.utf8)) {
                throw CommandFailure(.failure, code: "capture-failed", "cannot write \(manifestPath): \(error)",
                                     path: manifestPath, errno: error)
            }
            let counts = LocalTree.count(staging)
            let bytes = try Self.pack(staging, into: file)

            let report = CaptureReport(file: file, bytes: bytes, files: counts.files, links: counts.links,
                                       directories: counts.directories, reads: reads.count,
                                       commands: commands.count, asRoot: asRoot, unreadable: mirror.unreadable,
                                       rewrittenLinks: mirror.rewrittenLinks, skipped: manifest.skipped)
            return CommandOutput(text: report.render(), json: report, status: .success)
        }

        /// What the bundle must answer: list (also --wide), check of every
        /// group and every device without one, explain of each, and doctor. Run
        /// with --json: the text is rendered from the same report, reading nothing more.
        static func commands(groups: [IOMMUGroupID], ungrouped: [PCIAddress]) -> [[String]] {
            let targets = groups.map(\.description) + ungrouped.map(\.description)
            return [["list"], ["list", "--wide"]] + (targets.isEmpty ? [] : [["check"] + targets])
                + targets.map { ["explain", $0] } + [["doctor"]]
        }

        /// The `pci.ids` read (the first found) cut to the devices present.
        static func pciIDsSubsets(_ reads: [String: ReadKind], root: HostRoot, devices: Set<UInt32>)
            -> [String: [UInt8]]
        {
            var subsets: [String: [UInt8]] = [:]
            for path in PCIIDs.defaultPaths.map(root.hostPath) where reads[path] == .contents {
                if case .success(let text) = LocalTree.readFile(path, limit: 64 << 20) {
                    subsets[path] = PCIIDs.subset(text, devices: devices, source: path)
                }
            }
            return subsets
        }

        static func requireFolder(_ folder: String, for file: String) throws(CommandFailure) {
            let status: FileStatus
            switch FileStatus.of(folder) {
            case .success(let found): status = found
            case .failure(let error):
                throw CommandFailure(.usage, code: "bad-destination", "cannot write \(file): \(folder): \(error)",
                                     path: folder, errno: error)
            }
            guard status.kind == .directory else {
                throw CommandFailure(.usage, code: "bad-destination", "cannot write \(file): \(folder) is not a folder",
                                     path: folder)
            }
        }

        /// Packs the staging folder into a temporary file next to `file`, then
        /// renames it over `file`: a failed capture leaves `file` as it was.
        static func pack(_ staging: String, into file: String) throws(CommandFailure) -> Int {
            let partial = file + ".partial-\(getpid())"
            // Made here first, so that a folder that cannot be written to is reported with its errno.
            if case .failure(let error) = LocalTree.writeFile(partial, []) {
                throw CommandFailure(.failure, code: "capture-failed", "cannot write \(file): \(error)",
                                     path: file, errno: error)
            }
            if case .failure(let failure) = TarArchive.create(partial, from: staging) {
                LocalTree.remove(partial)
                throw CommandFailure(.failure, code: "capture-failed", "cannot write \(file): \(failure)",
                                     path: file, errno: failure.errno)
            }
            if case .failure(let error) = FileSystem.rename(partial, to: file) {
                LocalTree.remove(partial)
                throw CommandFailure(.failure, code: "capture-failed", "cannot write \(file): \(error)",
                                     path: file, errno: error)
            }
            return (try? LocalTree.size(file).get()) ?? 0
        }
    }
}
