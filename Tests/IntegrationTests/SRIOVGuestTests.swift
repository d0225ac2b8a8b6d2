import Foundation
import Testing
import VFIOCore
import VFIOSysfs

extension GuestDevices {
    /// SR-IOV on QEMU's NVMe (the `sriov` topology): VFs created with autoprobe
    /// off get no driver, are claimed in one call with the kernel's verdict
    /// viable for each, cannot be removed while held, and go away with --vfs 0;
    /// the reset, power, placement and link fields equal the sysfs files and
    /// config space read here independently.
    @Suite struct SRIOVGuestTests {
        private let state = "/run/vfioadm-sriov-\(UInt32.random(in: 0...UInt32.max))"
        private let pf = "0000:00:07.0"
        private var directory: String { "/sys/bus/pci/devices/\(pf)" }

        private func json(_ arguments: [String]) throws -> (status: Int32, object: [String: Any]) {
            let result = try Subprocess.run(VFIOAdmBinary.path, arguments + ["--state-dir", state, "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return (result.status, try #require(object, "vfioadm \(arguments): \(result.stdout)\(result.stderr)"))
        }

        private func file(_ path: String) -> String {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }

        private func vfs() -> [PCIDevice] {
            let count = Int(file(directory + "/sriov_numvfs")) ?? 0
            return (0..<count).compactMap { index in
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/virtfn\(index)"))
                    .flatMap { PCIAddress($0.split(separator: "/").last!) }.map(Guest.reader.device)
            }
        }

        @Test(.enabled(if: Guest.topology == "sriov"))
        func vfsAreCreatedWithoutADriverClaimedInOneCallAndRemovedOnlyWhenFree() throws {
            defer {
                for vf in vfs() { if let group = vf.iommuGroup { _ = try? json(["release", "\(group)"]) } }
                try? SysfsWrite.write("0", to: directory + "/sriov_numvfs")
            }
            let shown = try json(["sriov", pf])
            #expect(shown.status == 0)
            let before = try #require(shown.object["pf"] as? [String: Any])
            #expect(before["totalVFs"] as? Int == Int(file(directory + "/sriov_totalvfs")))
            #expect(before["offset"] as? Int == Int(file(directory + "/sriov_offset")))
            #expect(before["stride"] as? Int == Int(file(directory + "/sriov_stride")))
            #expect(before["numVFs"] as? Int == 0)

            let created = try json(["sriov", pf, "--vfs", "4"])
            #expect(created.status == 0, "\(created.object)")
            #expect(file(directory + "/sriov_drivers_autoprobe") == "0", "autoprobe off before the VFs appear")
            #expect(vfs().count == 4)
            #expect(vfs().allSatisfy { $0.driver == nil }, "no host driver grabbed a VF")

            let claimed = try json(["sriov", pf, "--vfs", "4", "--claim"])
            #expect(claimed.status == 0, "\(claimed.object)")
            let groups = (claimed.object["claim"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
            #expect(groups.count == 4)
            for vf in vfs() {
                #expect(vf.driver?.rawValue == "vfio-pci", "\(vf.address)")
                let group = try #require(vf.iommuGroup)
                #expect(try VFIOGroup(group).status().contains(.viable), "the kernel's verdict on \(vf.address)")
            }

            let refused = try json(["sriov", pf, "--vfs", "2"])
            #expect(refused.status == 3)
            let hazards = refused.object["hazards"] as? [[String: Any]] ?? []
            #expect(hazards.count == 4 && hazards.allSatisfy { ($0["message"] as? String)?.contains("held by vfioadm") == true })
            #expect(vfs().count == 4, "nothing changed")

            let released = try json(["release"] + vfs().compactMap { $0.iommuGroup.map { "\($0)" } })
            #expect(released.status == 0, "\(released.object)")
            #expect(vfs().allSatisfy { $0.driver == nil })
            let removed = try json(["sriov", pf, "--vfs", "0"])
            #expect(removed.status == 0, "\(removed.object)")
            #expect(file(directory + "/sriov_numvfs") == "0")
        }

        /// The PCI Express capability's Device Capabilities register, read from config space here.
        private func deviceCapabilities(_ address: String) throws -> UInt32? {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "/sys/bus/pci/devices/\(address)/config")))
            var pointer = Int(bytes[0x34]) & 0xFC
            for _ in 0..<48 where pointer >= 0x40 && pointer + 8 <= bytes.count {
                if bytes[pointer] == 0x10 {
                    return bytes[(pointer + 4)..<(pointer + 8)].reversed().reduce(0) { $0 << 8 | UInt32($1) }
                }
                pointer = Int(bytes[pointer + 1]) & 0xFC
            }
            return nil
        }

        @Test(.enabled(if: Guest.topology == "sriov" || Guest.topology == "intel"))
        func resetPowerPlacementAndLinkAreTheKernelsFiles() throws {
            let listed = try VFIOAdmBinary.json(["list", "--wide"])
            #expect(listed.status == 0)
            let devices = (listed.object["groups"] as? [[String: Any]] ?? []).flatMap { $0["devices"] as? [[String: Any]] ?? [] }
            #expect(!devices.isEmpty)
            for device in devices {
                let address = try #require(device["address"] as? String)
                let base = "/sys/bus/pci/devices/\(address)/"
                let lifecycle = try #require(device["lifecycle"] as? [String: Any], "\(address)")
                let methods = (lifecycle["resetMethods"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                let resetFile = file(base + "reset_method")
                #expect(methods == (resetFile.isEmpty ? nil : resetFile.split(separator: " ").map(String.init)), "\(address)")
                if let capabilities = try deviceCapabilities(address), let methods {
                    #expect(methods.contains("flr") == (capabilities & (1 << 28) != 0),
                            "\(address): flr in reset_method iff FLR is in Device Capabilities")
                }
                #expect(lifecycle["powerState"] as? String == (file(base + "power_state").isEmpty ? nil : file(base + "power_state")))
                let node = Int(file(base + "numa_node")) ?? -1
                #expect(lifecycle["numaNode"] as? Int == (node < 0 ? nil : node), "\(address)")
                #expect(lifecycle["localCPUs"] as? String == file(base + "local_cpulist"), "\(address)")
                if let link = lifecycle["link"] as? [String: Any] {
                    #expect(link["currentSpeed"] as? String == file(base + "current_link_speed"))
                    #expect(link["maxSpeed"] as? String == file(base + "max_link_speed"))
                    #expect(link["currentWidth"] as? Int == Int(file(base + "current_link_width")))
                } else {
                    #expect(file(base + "current_link_speed").isEmpty, "\(address) has link files")
                }
            }
        }
    }
}
