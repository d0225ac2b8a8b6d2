// swift-tools-version: 6.1
import PackageDescription

// Linux only: vfioadm drives Linux's VFIO and iommufd through Glibc, and says so here once.
let package = Package(
    name: "vfioadm",
    products: [
        .executable(name: "vfioadm", targets: ["vfioadm"]),
        .library(name: "VFIOSysfs", targets: ["VFIOSysfs"]),
        .library(name: "VFIOCore", targets: ["VFIOCore"]),
        .library(name: "VFIOHost", targets: ["VFIOHost"]),
        .library(name: "VFIOClaim", targets: ["VFIOClaim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The raw Linux calls (ioctl, pread/pwrite, open, getdents64, fchownat, MMIO),
        // each returning the errno it read.
        .target(name: "CLinuxSystem"),
        // The one system seam: Errno, the owning FileDescriptor, Syscall (EINTR
        // retried in one place) and the file helpers every other module reads through.
        .target(name: "LinuxSystem", dependencies: ["CLinuxSystem"]),
        // Kernel ABI: our own declarations of the VFIO and iommufd structs and request numbers.
        .target(name: "CVFIO"),
        // The sysfs model: PCI devices, IOMMU groups, reserved regions and the viability rule.
        .target(name: "VFIOSysfs", dependencies: ["LinuxSystem"]),
        // The VFIO container/group/device and iommufd ioctls, and the DMA sessions over them.
        .target(name: "VFIOCore", dependencies: ["CVFIO", "LinuxSystem", "VFIOSysfs"]),
        // The host around VFIO: doctor's checks, host files, process scans, errno advice.
        .target(name: "VFIOHost", dependencies: ["LinuxSystem", "VFIOCore", "VFIOSysfs"]),
        // Claiming and releasing whole groups: plans, hazards, journal, rollback.
        .target(name: "VFIOClaim", dependencies: ["LinuxSystem", "VFIOSysfs", "VFIOCore", "VFIOHost"]),
        // Reports out: the JSON encoder (Foundation's bytes in a fraction of its
        // time, `list`'s groups on all cores) and text written piece by piece.
        .target(name: "ReportOutput", dependencies: ["LinuxSystem", "VFIOSysfs"]),
        // The commands: parsing, rendering, exit codes.
        .target(
            name: "VFIOCommands",
            dependencies: [
                "LinuxSystem", "VFIOSysfs", "VFIOCore", "VFIOHost", "VFIOClaim", "ReportOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The Swift runtime linked statically: `vfioadm` starts in half the time
        // (no relocations against libswiftCore at exec) and runs on hosts
        // without a Swift toolchain. The static FoundationEssentials (through
        // swift-argument-parser) needs its three helper archives named, which
        // `swift build --static-swift-stdlib` would add; here every build gets them.
        .executableTarget(
            name: "vfioadm", dependencies: ["VFIOCommands"],
            linkerSettings: [
                .unsafeFlags(["-static-stdlib"]),
                .linkedLibrary("_FoundationCShims"),
                .linkedLibrary("_FoundationCollections"),
                .linkedLibrary("swiftSynchronization"),
            ]
        ),
        // A benchmark, not part of the tool: map/unmap timing through VFIOCore (Scripts/bench/dma-bench).
        .executableTarget(name: "vfioadm-dma-bench", dependencies: ["LinuxSystem", "VFIOCore", "VFIOSysfs"], path: "Sources/DMABench"),
        // Builds sysfs-shaped trees with real symlinks for the unit tests.
        .target(name: "SysfsTestSupport", dependencies: ["VFIOSysfs"], path: "Tests/SysfsTestSupport"),
        // Tests/Fixtures holds sysfs trees captured from the test guest's real kernels
        // (Scripts/capture-fixtures); it sits outside every target because its symlinks form cycles.
        .testTarget(name: "LinuxSystemTests", dependencies: ["LinuxSystem", "CLinuxSystem", "SysfsTestSupport"]),
        .testTarget(name: "VFIOSysfsTests", dependencies: ["VFIOSysfs", "SysfsTestSupport"]),
        .testTarget(name: "VFIOCoreTests", dependencies: ["VFIOCore", "CVFIO", "SysfsTestSupport"]),
        .testTarget(name: "VFIOHostTests", dependencies: ["VFIOHost", "SysfsTestSupport"]),
        .testTarget(name: "VFIOClaimTests", dependencies: ["VFIOClaim", "SysfsTestSupport"]),
        .testTarget(name: "VFIOCommandsTests", dependencies: ["VFIOCommands", "ReportOutput", "SysfsTestSupport"]),
        // Runs only inside the test guest (Scripts/vm-run); skipped elsewhere with a reason.
        .testTarget(name: "IntegrationTests", dependencies: ["VFIOCore", "VFIOHost", "VFIOSysfs"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets for every parser of outside input (Sources/Fuzz), only in the
// instrumented build Scripts/fuzz makes (VFIOADM_FUZZ=1, its own scratch path):
// libFuzzer supplies `main`, so a normal build leaves the target out.
if Context.environment["VFIOADM_FUZZ"] != nil {
    package.targets.append(.executableTarget(
        name: "vfioadm-fuzz",
        dependencies: [
            "VFIOCommands", "VFIOClaim", "VFIOHost", "VFIOCore", "VFIOSysfs", "LinuxSystem",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        path: "Sources/Fuzz"
    ))
}
