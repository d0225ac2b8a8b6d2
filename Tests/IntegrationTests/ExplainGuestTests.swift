import Foundation
import Testing
import VFIOSysfs

extension GuestDevices {
    /// `vfioadm explain` against the groups the guest's kernel formed. Read-only, but
    /// nested in the serialized suite: binding a device elsewhere can create a group
    /// (virtio-iommu) while this one reads them.
    @Suite struct ExplainGuestTests {
        /// The kernel's members of every group, read straight from /sys/kernel/iommu_groups.
        private func kernelGroups() throws -> [String: [String]] {
            let root = "/sys/kernel/iommu_groups"
            var groups: [String: [String]] = [:]
            for group in try FileManager.default.contentsOfDirectory(atPath: root) {
                groups[group] = try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(group)/devices").sorted()
            }
            return groups
        }

        private func hasGroup(_ address: String) -> Bool {
            FileManager.default.fileExists(atPath: "/sys/bus/pci/devices/\(address)/iommu_group")
        }

        private func explain(_ target: String) throws -> [String: Any] {
            let result = try VFIOAdmBinary.json(["explain", target])
            #expect(result.status == 0, "explain \(target) exited \(result.status)")
            return result.object
        }

        private func members(_ report: [String: Any]) throws -> [[String: Any]] {
            try #require(report["members"] as? [[String: Any]])
        }

        private func reasons(_ address: String, in report: [String: Any]) throws -> [[String: Any]] {
            let member = try #require(try members(report).first { $0["address"] as? String == address })
            return try #require(member["reasons"] as? [[String: Any]])
        }

        /// Every member has a reason, and every difference between the rules and the kernel is reported.
        @Test(.enabled(if: Guest.hasIOMMU)) func everyGroupsMembershipIsAccountedFor() throws {
            let groups = try kernelGroups()
            #expect(groups.count >= 6)
            for (group, kernel) in groups {
                let report = try explain(group)
                let check = try #require(report["crossCheck"] as? [String: Any])
                #expect(check["kernel"] as? [String] == kernel, "group \(group)")
                let predicted = Set(try #require(check["predicted"] as? [String]))
                let notPredicted = Set(try #require(check["notPredicted"] as? [String]))
                let ungrouped = Set(try #require(check["ungrouped"] as? [String]))
                let elsewhere = try #require(check["elsewhere"] as? [[String: Any]])
                // Every difference between the two sets is reported, each where it belongs.
                #expect(notPredicted == Set(kernel).subtracting(predicted), "group \(group)")
                #expect(ungrouped.union(elsewhere.compactMap { $0["device"] as? String })
                    == predicted.subtracting(kernel), "group \(group)")
                #expect(ungrouped.allSatisfy { !hasGroup($0) }, "group \(group): \(ungrouped)")
                #expect((check["status"] as? String == "match") == (predicted == Set(kernel)), "group \(group)")
                // Intel VT-d and AMD-Vi group every device at boot: the rules predict each group exactly.
                if Guest.topology == "intel" || Guest.topology == "amd" {
                    #expect(check["status"] as? String == "match", "group \(group): \(check["findings"] ?? "")")
                }
                for address in kernel {
                    #expect(!(try reasons(address, in: report)).isEmpty, "group \(group): \(address) has no reason")
                }
                // Root reads all of config space: nothing is assumed.
                #expect((report["limitations"] as? [Any])?.isEmpty == true, "group \(group)")
            }
        }

        @Test(.enabled(if: Guest.topology == "intel" || Guest.topology == "amd"))
        func theBridgeGroupIsTheAliasToThePCIePCIBridge() throws {
            let report = try explain("0000:03:01.0")
            let check = try #require(report["crossCheck"] as? [String: Any])
            #expect(check["kernel"] as? [String] == ["0000:02:00.0", "0000:03:01.0", "0000:03:02.0"])
            for address in ["0000:03:01.0", "0000:03:02.0"] {
                let reason = try #require(try reasons(address, in: report).first)
                #expect(reason["code"] as? String == "bridge-alias")
                #expect(reason["peers"] as? [String] == ["0000:02:00.0"])
                #expect((reason["message"] as? String)?.contains("03:00.0") == true)
            }
            let bridge = try #require(try members(report).first)
            #expect(bridge["kind"] as? String == "pcie-to-pci-bridge")
        }

        @Test(.enabled(if: Guest.topology == "intel" || Guest.topology == "amd"))
        func theICH9GroupIsMultifunctionWithoutACS() throws {
            let report = try explain("0000:00:1f.2")
            let ich9 = ["0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.3"]
            #expect((report["crossCheck"] as? [String: Any])?["kernel"] as? [String] == ich9)
            for address in ich9 {
                let reason = try #require(try reasons(address, in: report).first)
                #expect(reason["code"] as? String == "multifunction")
                #expect(reason["peers"] as? [String] == ich9.filter { $0 != address })
            }
            let split = try #require(report["split"] as? [[String: Any]])
            #expect(split.compactMap { $0["code"] as? String } == ["multifunction", "acs-override"])
        }

        /// virtio-iommu attaches a device only when a driver probes it; nothing behind
        /// the PCIe-to-PCI bridge ever gets a group, and explain says so.
        @Test(.enabled(if: Guest.topology == "virtio"))
        func virtioIOMMULeavesTheBridgesDevicesUngroupedAndSaysSo() throws {
            let behind = ["0000:03:01.0", "0000:03:02.0"]
            #expect(behind.allSatisfy { !hasGroup($0) }, "QEMU knows them only by the bridge's alias 03:00.0")
            let report = try explain("0000:02:00.0")
            let check = try #require(report["crossCheck"] as? [String: Any])
            #expect(check["kernel"] as? [String] == ["0000:02:00.0"])
            #expect(check["predicted"] as? [String] == ["0000:02:00.0"] + behind)
            #expect(check["ungrouped"] as? [String] == behind)
            #expect(check["status"] as? String == "mismatch")
            for address in behind {
                #expect(try reasons(address, in: report).first?["code"] as? String == "bridge-alias")
            }
        }

        @Test(.enabled(if: Guest.topology == "noiommu")) func noIOMMUExits69() throws {
            let edu = try #require(Guest.edus.first).address.description
            let result = try VFIOAdmBinary.run(["explain", edu])
            #expect(result.status == 69)
            #expect(result.stderr.contains("no IOMMU groups"))
            #expect(result.stdout.isEmpty)
        }
    }
}
