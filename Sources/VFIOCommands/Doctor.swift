import ArgumentParser
import VFIOClaim
import VFIOCore
import VFIOHost
import VFIOSysfs

extension VFIOAdm {
    struct Doctor: ReportingCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check whether this host is ready for VFIO: IOMMU, interrupt remapping, modules, nodes, limits.",
            discussion: """
            Prints one PASS, WARN, FAIL or SKIP line per check, each with the files and calls it read and the \
            values found, and a fix where there is one. Kernel features are found by probing the nodes (a fresh \
            container asked VFIO_CHECK_EXTENSION, an IOAS allocated on /dev/iommu), not from the kernel version. \
            It runs without root; checks that need root (opening /dev/iommu) are SKIPped and say so. sysfs and \
            procfs are read under --sysfs-root (a capture is judged as its host), except the caller's own memlock \
            limit and capabilities. With persistent claims under --config-dir it also checks that their boot path \
            is installed and enabled, and warns about listed devices whose driver is built into the kernel. \
            Exits 2 when any check FAILs, else 0 (WARN and SKIP included).
            """)

        static let readsBundles = true

        @OptionGroup var global: GlobalOptions
        @OptionGroup var nodes: DeviceNodeOptions

        @Option(help: ArgumentHelp("Memory a VMM will pin for DMA (its guest RAM), to judge RLIMIT_MEMLOCK against; "
                                   + "K, M, G suffixes are powers of 1024.", valueName: "BYTES"))
        var memory = ByteSize(bytes: 1 << 30)

        @OptionGroup var configuration: ConfigDirectoryOptions

        func report() throws(CommandFailure) -> CommandOutput {
            _ = try global.reader()
            let privileges = ProcessPrivileges.current()
            let doctor = HostDoctor(root: nodes.root(global), privileges: privileges,
                                    memlock: MemlockLimit.current(), plannedMemory: memory.bytes)
            // The config and boot files are looked for under the same root as sysfs, so a capture is judged as its host.
            let paths = HostPaths(root: nodes.root(global),
                                  config: global.root.hostPath(configuration.configDirectory))
            let boot = BootFiles(udevDirectory: global.root.hostPath("etc/udev/rules.d"),
                                 unitDirectory: global.root.hostPath("etc/systemd/system"))
            let packaged = BootFiles(udevDirectory: global.root.hostPath(BootFiles.packageUdevDirectory),
                                     unitDirectory: global.root.hostPath(BootFiles.packageUnitDirectory))
            let persistence = PersistenceCheck(paths: paths, boot: boot, packaged: packaged).run()
            let report = DoctorReport(sysfsRoot: global.root.path, root: privileges.isRoot,
                                      checks: doctor.run() + persistence)
            return CommandOutput(text: report.render(), json: report, status: report.status)
        }
    }
}
