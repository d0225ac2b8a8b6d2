import Foundation
import Testing
import VFIOSysfs

extension GuestDevices {
    /// `vfioadm doctor` in each boot, judged against what the kernel itself shows.
    @Suite struct DoctorGuestTests {
        typealias Check = [String: Any]

        static func doctor() throws -> (status: Int32, checks: [String: Check]) {
            let text = try VFIOAdmBinary.run(["doctor"])
            print("[\(Guest.topology ?? "?")] vfioadm doctor (exit \(text.status))\n\(text.stdout)\(text.stderr)")
            let result = try VFIOAdmBinary.json(["doctor"])
            #expect(result.status == text.status)
            let checks = try #require(result.object["checks"] as? [Check])
            return (result.status, Dictionary(uniqueKeysWithValues: checks.map { ($0["id"] as? String ?? "?", $0) }))
        }

        static func status(_ check: Check?) -> String? { check?["status"] as? String }

        static func evidence(_ check: Check?) -> [(source: String, value: String)] {
            ((check?["evidence"] as? [[String: String]]) ?? []).map { ($0["source"] ?? "", $0["value"] ?? "") }
        }

        static func list(_ path: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        }

        static func read(_ path: String) -> String? {
            (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Groups an IOMMU driver made (VFIO names its no-IOMMU ones `vfio-noiommu`).
        static var iommuGroups: [String] {
            list("/sys/kernel/iommu_groups").filter { read("/sys/kernel/iommu_groups/\($0)/name") != "vfio-noiommu" }
        }

        @Test func doctorAgreesWithTheKernel() throws {
            let (status, checks) = try Self.doctor()
            let units = Self.list("/sys/class/iommu")
            let hardware = Self.evidence(checks["iommu-hardware"])
            #expect(hardware.last?.value == (units.isEmpty ? "no units" : units.joined(separator: ", ")))
            let tables = Self.list("/sys/firmware/acpi/tables").filter { ["DMAR", "IVRS", "VIOT", "IORT"].contains($0) }
            let enabled = !Self.iommuGroups.isEmpty ? "pass" : units.isEmpty && tables.isEmpty ? "skip" : "fail"
            #expect(Self.status(checks["iommu-enabled"]) == enabled)
            let remapping = (Self.read("/proc/interrupts") ?? "").contains(" IR-")
            #expect((Self.status(checks["interrupt-remapping"]) == "pass") == remapping)
            #expect(Self.status(checks["iommufd"]) == (FileManager.default.fileExists(atPath: "/dev/iommu") ? "pass" : "warn"))

            // iommufd says so in the kernel log when it serves /dev/vfio/vfio; this kernel has VFIO's container.
            let log = try Subprocess.run("/usr/bin/dmesg", [])
            let byIOMMUFD = log.stdout.contains("IOMMUFD is providing /dev/vfio/vfio")
            let provider = Self.evidence(checks["container"]).first { $0.source.hasPrefix("IOMMU_IOAS_ALLOC") }
            #expect(provider?.value.hasPrefix(byIOMMUFD ? "IOAS " : "EINVAL") == true, "\(String(describing: provider))")

            switch Guest.topology {
            case "intel", "virtio", "amd":
                #expect(status == 0)
                #expect(!checks.values.contains { Self.status($0) == "fail" })
                #expect(Self.status(checks["container"]) == "pass")
            case "intel-off":
                #expect(status == 2)
                #expect(FileManager.default.fileExists(atPath: "/sys/firmware/acpi/tables/DMAR"))
                #expect(units.isEmpty && Self.iommuGroups.isEmpty)
                #expect(Self.read("/proc/cmdline")?.split(separator: " ").contains("intel_iommu=off") == true)
                #expect(Self.status(checks["iommu-enabled"]) == "fail")
                #expect((checks["iommu-enabled"]?["fix"] as? String)?.contains("intel_iommu=on") == true)
            case "noiommu":
                #expect(status == 2)
                #expect(Self.status(checks["iommu-hardware"]) == "fail")
            default:
                Issue.record("no expectations for topology \(Guest.topology ?? "?")")
            }
        }

        /// As nobody with a 64 KiB memlock limit: opening /dev/iommu (root's, 0660) is skipped as
        /// needing root, /dev/vfio/vfio (0666) is still probed, and the limit fails the memlock check.
        @Test func withoutRootTheRootOnlyChecksAreSkipped() throws {
            let result = try Subprocess.run("/usr/bin/setpriv", [
                "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                "/usr/bin/prlimit", "--memlock=65536:65536", "--", VFIOAdmBinary.path, "doctor", "--json",
            ])
            print("[\(Guest.topology ?? "?")] vfioadm doctor --json as nobody (exit \(result.status))\n\(result.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let checks = Dictionary(uniqueKeysWithValues: ((report["checks"] as? [Check]) ?? [])
                .map { ($0["id"] as? String ?? "?", $0) })
            #expect(result.status == 2)
            #expect(report["root"] as? Bool == false)

            var iommu = stat()
            #expect(stat("/dev/iommu", &iommu) == 0 && iommu.st_uid == 0 && iommu.st_mode & 0o007 == 0)
            #expect(Self.status(checks["iommufd"]) == "skip")
            #expect(checks["iommufd"]?["needsRoot"] as? Bool == true)
            var container = stat()
            #expect(stat("/dev/vfio/vfio", &container) == 0 && container.st_mode & 0o666 == 0o666)
            #expect(Self.status(checks["container"]) == "pass")
            #expect(Self.status(checks["memlock"]) == "fail")
            #expect(Self.evidence(checks["memlock"]).map(\.value).contains("soft 64 KiB, hard 64 KiB"))
        }

        /// In the no-IOMMU boot, binding a device to vfio-pci makes a no-IOMMU group and taints the
        /// kernel; doctor reports both as the kernel shows them.
        @Test(.enabled(if: Guest.topology == "noiommu")) func noIOMMUModeReportsItsGroupAndTheTaint() throws {
            #expect(Self.read("/sys/module/vfio/parameters/enable_unsafe_noiommu_mode") == "Y")
            try LoneEdu.withVFIO {
                let link = try FileManager.default.destinationOfSymbolicLink(
                    atPath: "/sys/bus/pci/devices/\(LoneEdu.address)/iommu_group")
                let group = String(link.split(separator: "/").last ?? "")
                #expect(Self.read("/sys/kernel/iommu_groups/\(group)/name") == "vfio-noiommu")
                let mask = try #require(Self.read("/proc/sys/kernel/tainted").flatMap { UInt64($0) })
                #expect(mask & (1 << 6) != 0, "a no-IOMMU group taints the kernel with TAINT_USER")

                let (status, checks) = try Self.doctor()
                #expect(status == 2)
                let noIOMMU = checks["noiommu"]
                #expect(Self.status(noIOMMU) == "warn")
                let values = Self.evidence(noIOMMU).map(\.value)
                #expect(values.contains("vfio-noiommu: groups \(group)"))
                #expect(values.contains("\(mask) (TAINT_USER, bit 6: set)"))
                #expect(Self.evidence(checks["iommu-enabled"]).first?.value
                    == "0 IOMMU groups and 1 no-IOMMU group (name vfio-noiommu)")
            }
        }
    }
}
