import ArgumentParser
import VFIOClaim
import VFIOSysfs

extension VFIOAdm {
    struct Persist: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install the boot path of the persistent claims (udev rule and systemd unit).",
            subcommands: [Install.self, Override.self])

        struct Install: ReportingCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write the udev rule and the vfioadm-apply unit, and enable the unit.",
                discussion: """
                The rule (70-vfioadm.rules) runs vfioadm persist override on every PCI add event and writes the \
                driver it prints to driver_override, so a listed device's module driver never binds; the unit \
                (vfioadm-apply.service, after udev settles, before libvirtd and multi-user.target) runs vfioadm \
                apply --boot, which completes the claims (also against drivers built into the kernel) or gives \
                the devices back. Both call this binary with this --config-dir. The Debian package ships the same \
                two files in /usr/lib/udev/rules.d and /lib/systemd/system (written with --package-root); a file of \
                the same name in /etc overrides the package's, so a host with both runs one rule and one unit.
                """)

            @OptionGroup var global: GlobalOptions
            @OptionGroup var state: StateOptions

            @Option(help: ArgumentHelp("Where udev rules go (/run/udev/rules.d lasts until reboot).", valueName: "DIR"))
            var udevDir = "/etc/udev/rules.d"

            @Option(help: ArgumentHelp("Where systemd units go.", valueName: "DIR"))
            var unitDir = "/etc/systemd/system"

            @Option(help: ArgumentHelp("Write the files as the package ships them, under DIR: the rule in "
                                       + "DIR/usr/lib/udev/rules.d and the unit in DIR/lib/systemd/system, both "
                                       + "calling /usr/bin/vfioadm; the unit is not enabled and root is not needed.",
                                       valueName: "DIR"))
            var packageRoot: String?

            func validate() throws {
                try AbsolutePath.check("--udev-dir", udevDir)
                try AbsolutePath.check("--unit-dir", unitDir)
                guard let packageRoot else { return }
                try AbsolutePath.check("--package-root", packageRoot)
                guard udevDir == "/etc/udev/rules.d", unitDir == "/etc/systemd/system" else {
                    throw ValidationError("--package-root takes no --udev-dir or --unit-dir")
                }
            }

            func report() throws(CommandFailure) -> CommandOutput {
                if let packageRoot { return try stage(under: packageRoot) }
                try RootRequirement.check("persist install")
                let paths = state.paths(global)
                let binary = BootFiles.runningBinary
                let files: [String]
                do {
                    files = try BootFiles(udevDirectory: udevDir, unitDirectory: unitDir)
                        .install(binary: binary, config: paths.config)
                } catch { throw CommandFailure(error) }
                let report = PersistInstallReport(files: files, binary: binary, configDirectory: paths.config, installed: true)
                return CommandOutput(text: report.render(), json: report, status: .success)
            }

            /// The package's copies, for `Scripts/package`: the installed binary and the config directory.
            private func stage(under root: String) throws(CommandFailure) -> CommandOutput {
                let config = state.paths(global).config
                let files: [String]
                do {
                    files = try BootFiles(udevDirectory: root + BootFiles.packageUdevDirectory,
                                          unitDirectory: root + BootFiles.packageUnitDirectory)
                        .install(binary: BootFiles.packageBinary, config: config, enable: false)
                } catch { throw CommandFailure(error) }
                let report = PersistInstallReport(files: files, binary: BootFiles.packageBinary, configDirectory: config,
                                                  installed: false)
                return CommandOutput(text: report.render(), json: report, status: .success)
            }
        }

        struct Override: ReportingCommand {
            static let configuration = CommandConfiguration(
                abstract: "For the udev rule: print the driver to hold a device for, or exit 1.",
                discussion: """
                Prints the driver when the device is listed in a persistent claim and is still the device \
                recorded (vendor:device, subsystem, serial) and not a bridge; otherwise prints nothing and exits 1.
                """)

            @OptionGroup var global: GlobalOptions
            @OptionGroup var state: StateOptions

            @Argument(help: ArgumentHelp("The device, as udev's %k names it.", valueName: "address"))
            var address: String

            func validate() throws {
                guard PCIAddress(address) != nil else { throw ValidationError("\(address.debugDescription) is not a PCI address") }
            }

            func report() throws(CommandFailure) -> CommandOutput {
                guard let parsed = PCIAddress(address) else { throw .usage("bad-target", "\(address) is not a PCI address") }
                let driver: String?
                do { driver = try OverrideQuery(paths: state.paths(global)).driver(for: parsed) } catch {
                    throw CommandFailure(error)
                }
                guard let driver else {
                    throw CommandFailure(.failure, code: "not-listed", "\(parsed) is in no persistent claim that matches it")
                }
                let report = PersistOverrideReport(driver: driver)
                return CommandOutput(text: report.render(), json: report, status: .success)
            }
        }
    }
}
