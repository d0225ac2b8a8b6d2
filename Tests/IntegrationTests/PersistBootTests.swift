import Foundation
import Testing
import VFIOCore
import VFIOSysfs

/// Which boot of Scripts/reboot-tests this guest is (1 to 4); nil in the other guests.
private let boot = ProcessInfo.processInfo.environment["VFIOADM_BOOT"].flatMap(Int.init)

extension GuestDevices {
    /// Persistent claims across reboots (Scripts/reboot-tests): the config
    /// directory lives on the spare 9p share, which every boot gets back.
    /// Boot 1 claims with --persist; boot 2 runs systemd-udevd with the rule
    /// and apply --boot; boot 3 has another device at a recorded address;
    /// boot 4 has the NVMe of a recorded group mounted. Boots 5 and 6 (the
    /// sriov topology, another folder) record and restore an SR-IOV VF count.
    @Suite struct PersistBootTests {
        private let state = "/run/vfioadm"
        private let persist = "/tmp/vfioadm-persist"
        private var config: String { persist + "/vfioadm" }
        private let lone = "0000:01:00.0"
        private let mixedEntry = "0000:02:00.0"

        private func vfioadm(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try Subprocess.run(VFIOAdmBinary.path, arguments + ["--state-dir", state, "--config-dir", config])
        }

        private func json(_ arguments: [String]) throws -> (status: Int32, object: [String: Any]) {
            let result = try vfioadm(arguments + ["--json"])
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return (result.status, try #require(object, "vfioadm \(arguments): \(result.stdout)\(result.stderr)"))
        }

        private func mountPersistentShare() {
            mkdir(persist, 0o755)
            #expect(mount("vfioadm-spare", persist, "9p", 0, "trans=virtio,version=9p2000.L") == 0,
                    "mount the spare share: \(String(cString: strerror(errno)))")
        }

        /// systemd-udevd with the rule `persist install` writes (to /run/udev/rules.d: /etc is the
        /// host's, read-only), then the coldplug a boot does.
        private func udevColdplug() throws {
            let install = try vfioadm(["persist", "install", "--udev-dir", "/run/udev/rules.d", "--unit-dir", "/tmp/units"])
            #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
            #expect(try Subprocess.run("/lib/systemd/systemd-udevd", ["--daemon"]).status == 0)
            var listening = false
            for _ in 0..<100 where !listening {
                listening = try Subprocess.run("/bin/udevadm", ["control", "--ping"]).status == 0
                if !listening { usleep(100_000) }
            }
            #expect(listening, "systemd-udevd answers on its control socket")
            for arguments in [["control", "--reload"], ["trigger", "--action=add", "--subsystem-match=pci"],
                              ["settle", "--timeout=120"]] {
                let result = try Subprocess.run("/bin/udevadm", arguments)
                #expect(result.status == 0, "udevadm \(arguments): \(result.stdout)\(result.stderr)")
            }
        }

        private func stopUdev() { _ = try? Subprocess.run("/bin/udevadm", ["control", "--exit"]) }

        private func override(_ address: String) -> String {
            Guest.reader.device(PCIAddress(address)!).driverOverride ?? "(null)"
        }

        private func actions(_ object: [String: Any]) -> [String: String] {
            var byEntry: [String: String] = [:]
            for group in object["groups"] as? [[String: Any]] ?? [] {
                byEntry[group["entry"] as? String ?? "-"] = group["action"] as? String
            }
            return byEntry
        }

        private func writeCount(_ object: [String: Any]) -> Int {
            (object["groups"] as? [[String: Any]] ?? []).reduce(0) { $0 + (($1["writes"] as? [Any])?.count ?? 0) }
        }

        @Test(.enabled(if: boot == 1))
        func bootOneClaimsWithPersist() throws {
            mountPersistentShare()
            try? FileManager.default.removeItem(atPath: config)
            #expect(Guest.waitForNamespace())
            let mixed = try json(["claim", "0000:03:01.0", "--persist"])
            #expect(mixed.status == 0, "\(mixed.object)")
            #expect((mixed.object["persisted"] as? [String]) == ["\(config)/claims/\(mixedEntry).conf"])
            let text = try String(contentsOfFile: "\(config)/claims/\(mixedEntry).conf", encoding: .utf8)
            #expect(text.contains("device 0000:03:02.0 1b36:0010 "))
            #expect(text.split(separator: "\n").filter { $0.hasPrefix("device ") }.count == 3)
            #expect(try json(["claim", lone, "--persist", "--owner", "65534:65534"]).status == 0)

            let before = Guest.bindings()
            let again = try json(["apply"])
            #expect(again.status == 0, "\(again.object)")
            #expect(again.object["changed"] as? Bool == false)
            #expect(writeCount(again.object) == 0)
            #expect(Set(actions(again.object).values) == ["unchanged"])
            #expect(Guest.bindings() == before, "apply on a converged host writes nothing")
            let status = try json(["status"])
            #expect(status.status == 0, "\(status.object)")
            #expect((status.object["desired"] as? [[String: Any]])?.allSatisfy { $0["held"] as? Bool == true } == true)
        }

        @Test(.enabled(if: boot == 2))
        func bootTwoTheRuleHoldsTheDevicesAndApplyBootClaimsThem() throws {
            mountPersistentShare()
            #expect(Guest.waitForNamespace())
            try udevColdplug()
            defer { stopUdev() }
            for endpoint in [lone, "0000:03:01.0", "0000:03:02.0"] {
                #expect(override(endpoint) == "vfio-pci", "\(endpoint): the rule held it")
            }
            #expect(override("0000:02:00.0") == "(null)", "a bridge is never held")
            #expect(override("0000:00:04.0") == "(null)", "an unlisted device is untouched")
            #expect(Guest.reader.device(PCIAddress(lone)!).driver == nil, "nothing bound before apply --boot")

            let applied = try json(["apply", "--boot"])
            #expect(applied.status == 0, "\(applied.object)")
            #expect(applied.object["changed"] as? Bool == true)
            #expect(actions(applied.object) == [lone: "claimed", mixedEntry: "claimed"])
            for address in [lone, "0000:03:02.0"] {
                let device = Guest.reader.device(PCIAddress(address)!)
                #expect(device.driver?.rawValue == "vfio-pci", "\(address)")
                let group = try #require(device.iommuGroup)
                #expect(try VFIOGroup(group).status().contains(.viable), "the kernel's verdict on group \(group)")
            }
            var node = stat()
            let group = try #require(Guest.reader.device(PCIAddress(lone)!).iommuGroup)
            #expect(stat("/dev/vfio/\(group)", &node) == 0 && node.st_uid == 65534, "the recorded owner")
            let again = try json(["apply", "--boot"])
            #expect(again.object["changed"] as? Bool == false)
            #expect(writeCount(again.object) == 0)
            #expect(try json(["status"]).status == 0)
        }

        @Test(.enabled(if: boot == 3))
        func bootThreeAnotherDeviceAtTheRecordedAddressIsSkippedAndUntouched() throws {
            mountPersistentShare()
            let nic = Guest.reader.device(PCIAddress(lone)!)
            #expect(nic.vendorID == 0x8086, "intel-swap has a NIC at \(lone)")
            let driver = nic.driver
            try udevColdplug()
            defer { stopUdev() }
            #expect(override(lone) == "(null)", "the rule does not hold a device that is not the one recorded")

            let applied = try json(["apply", "--boot"])
            #expect(applied.status == 2)
            #expect(actions(applied.object)[lone] == "skipped")
            let skipped = (applied.object["groups"] as? [[String: Any]])?.first { $0["entry"] as? String == lone }
            #expect((skipped?["reason"] as? String)?.contains("\(lone) is now 8086:10d3") == true)
            #expect((skipped?["writes"] as? [Any])?.isEmpty == true)
            #expect(Guest.reader.device(PCIAddress(lone)!).driver == driver, "nothing written to the NIC")
            #expect(override(lone) == "(null)")
            let status = try json(["status"])
            #expect(status.status == 2)
            let desired = (status.object["desired"] as? [[String: Any]])?.first { $0["entry"] as? String == lone }
            #expect(desired?["held"] as? Bool == false)
        }

        @Test(.enabled(if: boot == 5))
        func bootFiveRecordsTheVFsOfAnSRIOVNVMe() throws {
            mountPersistentShare()
            try? FileManager.default.removeItem(atPath: config)
            let result = try json(["sriov", "0000:00:07.0", "--vfs", "2", "--claim", "--persist"])
            #expect(result.status == 0, "\(result.object)")
            let persisted = result.object["persisted"] as? [String] ?? []
            #expect(persisted.first == "\(config)/sriov/0000:00:07.0.conf")
            #expect(persisted.count == 3, "the count and one claim per VF group: \(persisted)")
        }

        @Test(.enabled(if: boot == 6))
        func bootSixCreatesTheVFsAndClaimsThem() throws {
            mountPersistentShare()
            let pf = "/sys/bus/pci/devices/0000:00:07.0"
            #expect(((try? String(contentsOfFile: pf + "/sriov_numvfs", encoding: .utf8)) ?? "") == "0\n", "no VFs at boot")
            try udevColdplug()
            defer { stopUdev() }
            let applied = try json(["apply", "--boot"])
            #expect(applied.status == 0, "\(applied.object)")
            #expect(actions(applied.object)["sriov/0000:00:07.0"] == "configured")
            #expect(actions(applied.object).filter { $0.value == "claimed" }.count == 2)
            for index in 0..<2 {
                let vf = try FileManager.default.destinationOfSymbolicLink(atPath: "\(pf)/virtfn\(index)")
                let device = Guest.reader.device(try #require(PCIAddress(vf.split(separator: "/").last!)))
                #expect(device.driver?.rawValue == "vfio-pci")
                #expect(try VFIOGroup(try #require(device.iommuGroup)).status().contains(.viable))
            }
            let again = try json(["apply", "--boot"])
            #expect(again.object["changed"] as? Bool == false)
        }

        @Test(.enabled(if: boot == 4))
        func bootFourAMountedNVMeIsSkippedAndGivenBack() throws {
            mountPersistentShare()
            #expect(Guest.waitForNamespace())
            let mountPoint = "/tmp/vfioadm-boot-mount"
            mkdir(mountPoint, 0o755)
            #expect(mount("/dev/nvme0n1", mountPoint, "ext4", UInt(MS_RDONLY), nil) == 0)
            defer { umount(mountPoint) }
            try udevColdplug()
            defer { stopUdev() }
            #expect(override("0000:03:02.0") == "vfio-pci")

            let applied = try json(["apply", "--boot"])
            #expect(applied.status == 2)
            #expect(actions(applied.object) == [lone: "claimed", mixedEntry: "skipped"])
            let skipped = (applied.object["groups"] as? [[String: Any]])?.first { $0["entry"] as? String == mixedEntry }
            #expect((skipped?["reason"] as? String)?.contains("0000:03:02.0 backs /dev/nvme0n1, mounted on \(mountPoint)") == true)
            #expect(Guest.reader.device(PCIAddress("0000:03:02.0")!).driver?.rawValue == "nvme", "the host keeps its disk")
            #expect(override("0000:03:02.0") == "(null)" && override("0000:03:01.0") == "(null)",
                    "the overrides the rule wrote are given back")
            #expect(try String(contentsOfFile: mountPoint + "/hello.txt", encoding: .utf8) == "vfioadm nvme fixture\n")
            let status = try vfioadm(["status"])
            #expect(status.stdout.contains("the last apply skipped it: refused: 0000:03:02.0 backs /dev/nvme0n1"))
        }
    }
}
