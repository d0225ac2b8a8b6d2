import Foundation
import LinuxSystem
import SysfsTestSupport
import Testing
@testable import VFIOCore
import VFIOSysfs
@testable import ReportOutput
@testable import VFIOCommands

/// `probe` and `info`: argument validation, refusals before anything is opened, and rendering.
@Suite struct ProbeCommandTests {
    /// CommandTests' host, with the lone edu of group 1 bound to vfio-pci in a copy.
    static func boundHost() throws -> SysfsTree {
        let tree = try SysfsTree()
        try tree.group(1, regions: ["0x00000000fee00000 0x00000000feefffff msi"])
        try tree.group(2)
        try tree.group(3, regions: ["0x00000000bd000000 0x00000000bdffffff direct"])
        try tree.add(.init(address: "0000:01:00.0", driver: "vfio-pci", group: 1, vfioDevice: "vfio1"))
        try tree.add(.init(address: "0000:03:01.0", driver: "vfio-pci", group: 2, vfioDevice: "vfio0"))
        try tree.add(.init(address: "0000:03:02.0", vendor: "0x1b36", device: "0x0010", classCode: "0x010802",
                           driver: "nvme", group: 2))
        try tree.add(.init(address: "0000:00:14.0", classCode: "0x0c0330", driver: "xhci_hcd", group: 3))
        try tree.add(.init(address: "0000:00:05.0", group: 4))
        try tree.group(4)
        return tree
    }

    private func run(_ tree: SysfsTree, dev: String? = nil, _ arguments: [String])
        -> (status: Int32, stdout: String, stderr: String)
    {
        let devArguments = dev.map { ["--dev-root", $0] } ?? ["--dev-root", tree.root.path]
        return VFIOAdm.run(arguments: ["--sysfs-root", tree.root.path] + arguments + devArguments)
    }

    private func errorObject(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        return try #require(object?["error"] as? [String: Any], "not an error object: \(text)")
    }

    // MARK: Arguments

    @Test(arguments: [
        ("4096", 4096), ("1M", 1 << 20), ("2MiB", 2 << 20), ("0x1000", 4096), ("1G", 1 << 30), ("64K", 65536),
        ("16k", 16384), ("1T", 1 << 40),
    ] as [(String, UInt64)])
    func byteSizesParse(text: String, bytes: UInt64) {
        #expect(ByteSize(argument: text)?.bytes == bytes)
    }

    @Test(arguments: ["", "M", "-1", "1.5M", "0x", "1Q", "99999999999999999999", "17179869184T", " 1M"])
    func badByteSizesAreRefused(text: String) {
        #expect(ByteSize(argument: text) == nil)
    }

    @Test(arguments: [
        (["probe"], "usage", "<target>"),
        (["probe", "x"], "usage", "\"x\""),
        (["probe", "1", "--mode", "type2"], "usage", "type2"),
        (["probe", "1", "--size", "1000"], "usage", "--size 1000 must be a positive multiple"),
        (["probe", "1", "--size", "0"], "usage", "--size 0"),
        (["probe", "1", "--size", "lots"], "usage", "lots"),
        (["probe", "0000:09:00.0"], "no-such-device", "0000:09:00.0"),
        (["probe", "42"], "no-such-group", "42"),
        (["info", "1"], "usage", "\"1\" is not a PCI address"),
        (["info", "0000:09:00.0"], "no-such-device", "0000:09:00.0"),
        (["info"], "usage", "address"),
    ])
    func badArgumentsAreUsageErrors(arguments: [String], code: String, named: String) throws {
        let tree = try Self.boundHost()
        let result = run(tree, arguments + ["--json"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let error = try errorObject(result.stderr)
        #expect(error["code"] as? String == code)
        #expect((error["message"] as? String)?.contains(named) == true, "\(error)")
    }

    // MARK: Refusals before anything is opened

    @Test func aGroupThatIsNotViableIsRefusedWithTheReasons() throws {
        let tree = try Self.boundHost()
        let result = run(tree, ["probe", "0000:03:01.0"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            vfioadm: 0000:03:01.0 (group 2): not-viable, refusing to open it
              blocked: 0000:03:02.0 is bound to nvme, which does kernel DMA
                fix: claim the whole group for vfio-pci (vfioadm claim 2), or unbind it (write 0000:03:02.0 to \
            /sys/bus/pci/drivers/nvme/unbind)

            """)
        let json = try errorObject(run(tree, ["info", "03:01.0", "--json"]).stderr)
        #expect(json["code"] as? String == "not-viable")
        #expect(json["exitStatus"] as? Int == 2)
    }

    @Test func anUnassignableGroupIsRefused() throws {
        let tree = try Self.boundHost()
        let result = run(tree, ["probe", "3", "--json"])
        #expect(result.status == 2)
        let error = try errorObject(result.stderr)
        #expect(error["code"] as? String == "unassignable")
        #expect((error["message"] as? String)?.contains("firmware 'direct' reserved region") == true)
    }

    @Test func aDeviceNotBoundToVFIOIsRefusedWithTheClaimThatBindsIt() throws {
        let tree = try Self.boundHost()
        let device = run(tree, ["probe", "0000:00:05.0", "--json"])
        #expect(device.status == 2)
        let error = try errorObject(device.stderr)
        #expect(error["code"] as? String == "not-bound")
        let message = try #require(error["message"] as? String)
        #expect(message.hasPrefix("0000:00:05.0 is not bound to any driver, not vfio-pci"))
        #expect(message.hasSuffix("claim its group first: vfioadm claim 0000:00:05.0 (see the writes with --dry-run)"))

        let group = run(tree, ["probe", "4"])
        #expect(group.status == 2)
        #expect(group.stderr.hasPrefix("vfioadm: no device of group 4 is bound to vfio-pci"))
    }

    @Test func aNoIOMMUGroupExits69() throws {
        let tree = try Self.boundHost()
        try tree.write("dev/vfio/noiommu-1", "")
        let result = run(tree, ["probe", "01:00.0", "--json"])
        #expect(result.status == 69)
        let error = try errorObject(result.stderr)
        #expect(error["code"] as? String == "no-iommu-group")
        #expect((error["message"] as? String)?.contains("\(tree.root.path)/dev/vfio/noiommu-1") == true)
    }

    @Test func aHostWithoutAnIOMMUExits69() throws {
        let tree = try SysfsTree()
        try tree.add(.init(address: "0000:01:00.0", driver: "vfio-pci"))
        let result = run(tree, ["probe", "0000:01:00.0"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("intel_iommu=on"))
    }

    /// Nothing under the dev root: every mode fails at its first open, each with the errno and advice.
    @Test func missingNodesFailEachModeWithTheCallAndErrno() throws {
        let tree = try Self.boundHost()
        let result = run(tree, ["probe", "01:00.0", "--json"])
        #expect(result.status == 1, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["ok"] as? Bool == false)
        #expect(report["device"] as? String == "0000:01:00.0")
        let modes = try #require(report["modes"] as? [[String: Any]])
        #expect(modes.compactMap { $0["mode"] as? String } == ["type1", "type1v2", "iommufd-compat", "iommufd"])
        for mode in modes {
            #expect(mode["outcome"] as? String == "failed")
            let error = try #require(mode["error"] as? [String: Any])
            #expect(error["errnoName"] as? String == "ENOENT", "\(error)")
            let steps = try #require(mode["steps"] as? [[String: Any]])
            #expect(steps.compactMap { $0["step"] as? String } == ["open"])
            #expect(steps.first?["ok"] as? Bool == false)
        }
        let text = run(tree, ["probe", "01:00.0", "--mode", "type1v2"])
        #expect(text.stdout.contains("type1v2: failed"))
        #expect(text.stdout.contains("  error: open on \(tree.root.path)/dev/vfio/1: No such file or directory (ENOENT)"))
        #expect(text.stdout.contains("  advice: \(tree.root.path)/dev/vfio/1 does not exist"))
    }

    // MARK: Rendering

    static func edu() throws -> PCIAddress { try #require(PCIAddress("0000:01:00.0")) }
    static let group9 = IOMMUGroupID(rawValue: 9)

    static func sampleReport() throws -> ProbeReport {
        var ok = ModeResult(mode: .type1v2)
        ok.iommuType = "VFIO_TYPE1v2_IOMMU"
        ok.extensions = ["VFIO_TYPE1_IOMMU", "VFIO_TYPE1v2_IOMMU"]
        ok.iovaRanges = [IOVARange(start: 0, last: 0xfedf_ffff), IOVARange(start: 0xfef0_0000, last: 0x7f_ffff_ffff)]
            .compactMap { $0 }.map(IOVARange.JSON.init)
        ok.pageSizes = "0x40201000"
        ok.pageSizeList = ByteFormat.pageSizes(0x4020_1000)
        ok.alignment = 4096
        ok.dmaAvailable = 65535
        ok.mapping = MappingReport(iova: ByteFormat.hex(0), length: 1 << 20)
        ok.steps = [
            ProbeStep(step: "open", nanoseconds: 1_234_567, ok: true, detail: "group /dev/vfio/9"),
            ProbeStep(step: "map", nanoseconds: 20_000, ok: true, detail: "1 MiB at IOVA 0x0000000000000000"),
        ]
        var failed = ModeResult(mode: .iommufd)
        failed.outcome = .failed
        failed.steps = [ProbeStep(step: "open", nanoseconds: 999, ok: false, detail: nil)]
        failed.error = ProbeError(
            VFIOError(.deviceBindIOMMUFD, path: "/dev/vfio/devices/vfio0", errno: Errno(rawValue: EPERM)),
            advice: "Unbind it.")
        return ProbeReport(device: try Self.edu(), group: Self.group9, size: 1 << 20,
                           ok: false, modes: [ok, failed])
    }

    @Test func aProbeReportRendersEveryModeWithItsSteps() throws {
        #expect(try Self.sampleReport().render() == """
            0000:01:00.0 (group 9): 1 MiB buffer, not every mode works
            type1v2: ok
              iommu        VFIO_TYPE1v2_IOMMU
              extensions   VFIO_TYPE1_IOMMU, VFIO_TYPE1v2_IOMMU
              iova ranges  0x0000000000000000-0x00000000fedfffff  4 GiB
                           0x00000000fef00000-0x0000007fffffffff  508 GiB
              page sizes   4 KiB, 2 MiB, 1 GiB  (0x40201000)
              alignment    4 KiB
              dma entries  65535 available
              steps
                open        1.235 ms  group /dev/vfio/9
                map         0.020 ms  1 MiB at IOVA 0x0000000000000000
            iommufd: failed
              steps
                open        0.001 ms  FAILED
              error: VFIO_DEVICE_BIND_IOMMUFD on /dev/vfio/devices/vfio0: Operation not permitted (EPERM)
              advice: Unbind it.
            """)
    }

    @Test func theExitStatusFollowsTheWorstMode() throws {
        func report(_ outcomes: [(ModeResult.Outcome, Bool)]) throws -> ProbeReport {
            let modes = outcomes.enumerated().map { index, pair in
                var result = ModeResult(mode: Mode.allCases[index])
                result.outcome = pair.0
                if pair.0 == .failed {
                    let errno = pair.1 ? EACCES : EINVAL
                    result.error = ProbeError(VFIOError(pair.1 ? .open : .iommuMapDMA, path: "/dev/vfio/9",
                                                        errno: Errno(rawValue: errno)), advice: nil)
                }
                return result
            }
            return ProbeReport(device: try Self.edu(), group: Self.group9, size: 4096,
                               ok: modes.allSatisfy { $0.outcome == .ok }, modes: modes)
        }
        #expect(try report([(.ok, false), (.ok, false)]).status == .success)
        #expect(try report([(.ok, false), (.unavailable, false)]).status == .unavailable)
        #expect(try report([(.unavailable, false), (.failed, false)]).status == .failure)
        #expect(try report([(.failed, false), (.failed, true)]).status == .permission)
    }

    @Test func probeJSONHasStableKeysAndHexAddresses() throws {
        let text = try ReportJSONEncoder.encode(try Self.sampleReport(), suffix: "\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["schemaVersion", "device", "group", "size", "ok", "modes"])
        let mode = try #require((object["modes"] as? [[String: Any]])?.first)
        #expect((mode["iovaRanges"] as? [[String: String]])?.first == ["start": "0x0000000000000000",
                                                                       "last": "0x00000000fedfffff"])
        #expect((mode["mapping"] as? [String: Any])?["iova"] as? String == "0x0000000000000000")
        #expect((mode["steps"] as? [[String: Any]])?.first?["nanoseconds"] as? Int == 1_234_567)
        let failed = try #require((object["modes"] as? [[String: Any]])?.last?["error"] as? [String: Any])
        #expect(Set(failed.keys) == ["operation", "path", "errno", "errnoName", "message", "advice"])
    }

    @Test func formatting() {
        #expect(ByteFormat.milliseconds(1_234_567) == "1.235 ms")
        #expect(ByteFormat.milliseconds(12) == "0.000 ms")
        #expect(ByteFormat.milliseconds(2_000_000_000) == "2000.000 ms")
        #expect(ByteFormat.pageSizes(0x4020_1000) == ["4 KiB", "2 MiB", "1 GiB"])
        #expect(StepRecorder.nanoseconds(.milliseconds(1500)) == 1_500_000_000)
        #expect(StepRecorder.nanoseconds(.nanoseconds(7)) == 7)
    }

    static func sampleInfoReport() throws -> InfoReport {
        func regionBytes(index: UInt32, flags: UInt32, size: UInt64, offset: UInt64) -> [UInt8] {
            var bytes: [UInt8] = []
            for value in [32, flags, index, 0] as [UInt32] { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
            for value in [size, offset] { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
            return bytes
        }
        let bar0 = RegionInfo(decoding: regionBytes(index: 0, flags: 7, size: 1 << 20, offset: 0))
        let bar1 = RegionInfo(decoding: regionBytes(index: 1, flags: 0, size: 0, offset: 1 << 40))
        let config = RegionInfo(decoding: regionBytes(index: 7, flags: 3, size: 4096, offset: 7 << 40))
        return InfoReport(
            device: try Self.edu(), group: Self.group9, openedWith: "iommufd",
            cdev: .init(name: "vfio0", path: "/dev/vfio/devices/vfio0", number: "511:0"), flags: ["reset", "pci"],
            reset: true, regions: [bar0, bar1, config].map(InfoReport.Region.init),
            irqs: [IRQInfo(index: .intx, flags: [.eventfd, .maskable, .automasked], count: 1),
                   IRQInfo(index: .msi, flags: [.eventfd, .noResize], count: 1)].map(InfoReport.IRQ.init),
            problems: [],
            lifecycle: DeviceLifecycle.JSON(value: DeviceLifecycle(
                resetMethods: [.init("flr"), .init("bus")], busResetAlsoResets: [], d3coldAllowed: true,
                powerState: "D0", runtimeStatus: "active", numaNode: 0, localCPUs: "0-1",
                link: .init(currentSpeed: "2.5 GT/s PCIe", currentWidth: 1, maxSpeed: "8.0 GT/s PCIe", maxWidth: 4))))
    }

    @Test func anInfoReportRendersRegionsAreasAndIRQs() throws {
        #expect(try Self.sampleInfoReport().render() == """
            0000:01:00.0 (group 9): opened with iommufd
              cdev     /dev/vfio/devices/vfio0 (511:0)
              flags    reset, pci
              reset    supported (VFIO_DEVICE_RESET)
              reset methods flr,bus
                flr: Function Level Reset (PCIe capability): resets this function alone
                bus: secondary bus reset of the parent bridge: resets every function below it
              power D0, d3cold allowed, runtime active
              numa 0, cpus 0-1
              link 2.5 GT/s PCIe x1 of 8.0 GT/s PCIe x4: DEGRADED
              regions
                BAR0     1 MiB      read,write,mmap      offset 0x0000000000000000
                config   4 KiB      read,write           offset 0x0000070000000000
                absent: BAR1
              irqs
                INTx     1    eventfd,maskable,automasked
                MSI      1    eventfd,noresize
            """)
    }
}
