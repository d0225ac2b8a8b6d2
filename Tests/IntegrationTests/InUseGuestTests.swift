import Foundation
import LinuxSystem
import Testing
import VFIOCore
import VFIOSysfs

extension GuestDevices {
    /// Devices in use by something other than a plain mounted disk, on the real
    /// kernel: the 9p root and shares, an open NVMe character device, a swap
    /// file and a loop device on the NVMe, a bridge member and an open DRM card.
    /// Each claim is refused with exit 3 and nothing written, the guest stays
    /// alive, and where forcing is allowed `--force` takes the device and
    /// `release` gives it back.
    @Suite struct InUseGuestTests {
        private let state = "/run/vfioadm-inuse-\(UInt32.random(in: 0...UInt32.max))"
        private static let rootShare = "0000:00:10.0"
        private static let ioShare = "0000:00:11.0"
        private static let spareShare = "0000:00:12.0"
        private static let nic = "0000:00:04.0"
        private static let display = "0000:00:06.0"

        private func json(_ arguments: [String]) throws -> (status: Int32, object: [String: Any], stderr: String) {
            let result = try Subprocess.run(VFIOAdmBinary.path, arguments + ["--state-dir", state, "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return (result.status, try #require(object, "vfioadm \(arguments): \(result.stdout)\(result.stderr)"),
                    result.stderr)
        }

        /// The hazards of the first group of a claim report.
        private func hazards(_ object: [String: Any]) -> [[String: Any]] {
            (object["groups"] as? [[String: Any]])?.first?["hazards"] as? [[String: Any]] ?? []
        }

        private func kinds(_ object: [String: Any]) -> [String] { hazards(object).compactMap { $0["kind"] as? String } }

        private func shell(_ command: String) throws -> (status: Int32, stdout: String, stderr: String) {
            try Subprocess.run("/bin/sh", ["-c", command])
        }

        /// A `sleep` that holds `node` open as its stdin, once the kernel shows the fd.
        private func holdOpen(_ node: String) throws -> Subprocess.Running {
            let running = try Subprocess.start("/bin/sh", ["-c", "exec /bin/sleep 600 < \(node)"])
            for _ in 0..<200 {
                if case .success(let target) = FileSystem.readLink("/proc/\(running.pid)/fd/0"), target == node {
                    return running
                }
                usleep(50_000)
            }
            Issue.record("\(node) was never held open by pid \(running.pid)")
            return running
        }

        private func stop(_ running: Subprocess.Running) {
            kill(running.pid, SIGKILL)
            _ = try? running.wait()
        }

        private func mixedGroup() throws -> (edu: PCIAddress, nvme: PCIAddress) {
            let nvme = try #require(Guest.nvme, "the topology has no NVMe")
            let edu = try #require(Guest.edus.first { $0.iommuGroup == nvme.iommuGroup && $0.iommuGroup != nil })
            return (edu.address, nvme.address)
        }

        @Test(.enabled(if: Guest.topology == "intel"))
        func theNinePRootIsNeverTakenNotEvenWithForce() throws {
            let before = Guest.bindings()
            for extra in [["--dry-run"], [], ["--force"]] {
                let refused = try json(["claim", Self.rootShare] + extra)
                #expect(refused.status == 3, "\(extra): \(refused.object)")
                let root = try #require(hazards(refused.object).first { $0["kind"] as? String == "root-filesystem" })
                #expect(root["overridable"] as? Bool == false)
                #expect((root["message"] as? String)?.contains("serves / (9p from /dev/root)") == true)
                let evidence = root["evidence"] as? [[String: Any]] ?? []
                #expect((evidence.first?["file"] as? String)?.hasSuffix("/mount_tag") == true)
                #expect(evidence.first?["value"] as? String == "/dev/root")
            }
            #expect(Guest.bindings() == before)
            #expect(try String(contentsOfFile: "/etc/debian_version", encoding: .utf8).isEmpty == false,
                    "the root file system still answers")
        }

        @Test(.enabled(if: Guest.topology == "intel"))
        func theMountedNinePShareIsRefused() throws {
            let before = Guest.bindings()
            let refused = try json(["claim", Self.ioShare])
            #expect(refused.status == 3)
            #expect(kinds(refused.object) == ["mounted-filesystem"])
            #expect((hazards(refused.object).first?["message"] as? String)?
                .contains("serves /tmp/vfioadm-io (9p from vfioadm-io), mounted on /tmp/vfioadm-io") == true)
            #expect(Guest.bindings() == before)
        }

        /// The spare 9p share, mounted: refused; forced with a short --timeout the
        /// unbind blocks in p9_virtio_remove, vfioadm says so and status shows the
        /// pending write; unmounting lets the write return, the claim fails and
        /// is undone, and the share mounts again.
        @Test(.enabled(if: Guest.topology == "intel"))
        func aForcedUnbindThatBlocksIsReportedAndUndoneWhenItReturns() throws {
            let mountPoint = "/tmp/vfioadm-spare"
            mkdir(mountPoint, 0o755)
            #expect(mount("vfioadm-spare", mountPoint, "9p", 0, "trans=virtio,version=9p2000.L") == 0,
                    "mount: \(String(cString: strerror(errno)))")
            defer { umount(mountPoint) }
            let before = Guest.bindings()
            let refused = try json(["claim", Self.spareShare])
            #expect(refused.status == 3)
            #expect(kinds(refused.object) == ["mounted-filesystem"])
            #expect((hazards(refused.object).first?["fix"] as? String)?.contains("p9_virtio_remove") == true)

            let claim = try Subprocess.start(VFIOAdmBinary.path, [
                "claim", Self.spareShare, "--force", "--timeout", "2", "--state-dir", state,
            ])
            var notice = ""
            for _ in 0..<1200 where !notice.contains("has not returned") {
                notice = (try? String(contentsOfFile: claim.errPath, encoding: .utf8)) ?? ""
                usleep(100_000)
            }
            #expect(notice.contains("has not returned after 2 s"), "\(notice)")
            #expect(notice.contains("p9_virtio_remove waits until every 9p mount of tag vfioadm-spare"), "\(notice)")

            let status = try json(["status"])
            let held = (status.object["groups"] as? [[String: Any]])?.first
            #expect(((held?["pending"] as? [String: Any])?["path"] as? String)?.hasSuffix("/unbind") == true)
            #expect((held?["drift"] as? [String])?.first?.contains("still running") == true)

            #expect(umount(mountPoint) == 0, "umount: \(String(cString: strerror(errno)))")
            let result = try claim.wait()
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("past --timeout 2 s"), "\(result.stderr)")
            #expect(result.stderr.contains("rolled back"), "\(result.stderr)")
            #expect(Guest.bindings() == before, "the share is back on virtio-pci")
            var mounted = false
            for _ in 0..<100 where !mounted {
                mounted = mount("vfioadm-spare", mountPoint, "9p", 0, "trans=virtio,version=9p2000.L") == 0
                if !mounted { usleep(100_000) }
            }
            #expect(mounted, "the 9p device came back and mounts")
            #expect(try json(["status"]).status == 0)
        }

        @Test(.enabled(if: Guest.topology == "intel"))
        func anOpenNVMeCharacterDeviceRefusesTheClaimAndForceTakesIt() throws {
            let (edu, nvme) = try mixedGroup()
            #expect(Guest.waitForNamespace())
            let before = Guest.bindings()
            let holder = try holdOpen("/dev/nvme0")
            defer { stop(holder) }

            let refused = try json(["claim", edu.description])
            #expect(refused.status == 3)
            #expect(kinds(refused.object) == ["open-node"])
            let hazard = hazards(refused.object).first
            #expect(hazard?["message"] as? String == "/dev/nvme0 is held open by pid \(holder.pid) (sleep)")
            #expect(hazard?["device"] as? String == nvme.description)
            #expect(Guest.bindings() == before)

            let forced = try json(["claim", edu.description, "--force"])
            #expect(forced.status == 0, "\(forced.object)")
            #expect(Guest.reader.device(nvme).driver?.rawValue == "vfio-pci")
            // While the old controller is held open its instance stays taken: let it go so the NVMe comes back as nvme0.
            stop(holder)
            let released = try json(["release", edu.description])
            #expect(released.status == 0, "\(released.object)")
            #expect(Guest.bindings() == before)
            #expect(Guest.waitForNamespace())
        }

        /// A swap file and a loop device's backing file on the NVMe's mounted
        /// ext4: each named; after swapoff and a lazy unmount the loop device
        /// alone still refuses the claim (LOOP_GET_STATUS64 knows its file);
        /// forced, the group is taken and release gives the NVMe back intact.
        @Test(.enabled(if: Guest.topology == "intel"))
        func aSwapFileAndALoopDeviceOnTheNVMeAreRefused() throws {
            let (edu, nvme) = try mixedGroup()
            #expect(Guest.waitForNamespace())
            let before = Guest.bindings()
            let mountPoint = "/tmp/vfioadm-nvme-use"
            mkdir(mountPoint, 0o755)
            #expect(mount("/dev/nvme0n1", mountPoint, "ext4", 0, nil) == 0, "mount: \(String(cString: strerror(errno)))")
            var loop = ""
            defer {
                _ = try? shell("/sbin/swapoff \(mountPoint)/swapfile; /sbin/losetup -d \(loop); umount -l \(mountPoint)")
                _ = try? json(["release", edu.description])
            }
            let setup = try shell("""
                set -e
                dd if=/dev/zero of=\(mountPoint)/swapfile bs=1M count=4 status=none
                chmod 600 \(mountPoint)/swapfile
                /sbin/mkswap \(mountPoint)/swapfile >/dev/null
                /sbin/swapon \(mountPoint)/swapfile
                dd if=/dev/zero of=\(mountPoint)/disk.img bs=1M count=4 status=none
                /sbin/losetup --find --show \(mountPoint)/disk.img
                """)
            #expect(setup.status == 0, "\(setup.stdout)\(setup.stderr)")
            loop = setup.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            let refused = try json(["claim", edu.description, "--dry-run"])
            #expect(refused.status == 3)
            #expect(Set(kinds(refused.object)) == ["mounted-filesystem", "swap", "loop-device"], "\(refused.object)")
            let messages = hazards(refused.object).compactMap { $0["message"] as? String }
            #expect(messages.contains("\(nvme) holds the swap file \(mountPoint)/swapfile (on /dev/nvme0n1)"))
            #expect(messages.contains("\(nvme) holds \(mountPoint)/disk.img (on /dev/nvme0n1), the backing file of \(loop)"))

            #expect(try shell("/sbin/swapoff \(mountPoint)/swapfile && umount -l \(mountPoint)").status == 0)
            let hidden = try json(["claim", edu.description])
            #expect(hidden.status == 3)
            #expect(kinds(hidden.object) == ["loop-device"], "the lazily unmounted file system still backs the loop")
            #expect(Guest.bindings() == before)

            let forced = try json(["claim", edu.description, "--force"])
            #expect(forced.status == 0, "\(forced.object)")
            #expect(Guest.reader.device(nvme).driver?.rawValue == "vfio-pci")
            #expect(try shell("/sbin/losetup -d \(loop)").status == 0)
            let released = try json(["release", edu.description])
            #expect(released.status == 0, "\(released.object)")
            #expect(Guest.bindings() == before)
            #expect(Guest.waitForNamespace())
            #expect(mount("/dev/nvme0n1", mountPoint, "ext4", UInt(MS_RDONLY), nil) == 0)
            #expect(try String(contentsOfFile: mountPoint + "/hello.txt", encoding: .utf8) == "vfioadm nvme fixture\n")
        }

        @Test(.enabled(if: Guest.topology == "intel"))
        func aBridgeMemberIsRefusedAndForceTakesIt() throws {
            let interface = try #require(try FileManager.default.contentsOfDirectory(atPath: "/sys/bus/pci/devices/\(Self.nic)/net").first)
            defer { _ = try? shell("/sbin/ip link del vfioadm-br0") }
            #expect(try shell("/sbin/ip link add vfioadm-br0 type bridge && /sbin/ip link set \(interface) master vfioadm-br0 && /sbin/ip link set vfioadm-br0 up").status == 0)
            let before = Guest.bindings()
            let refused = try json(["claim", Self.nic])
            #expect(refused.status == 3)
            #expect(kinds(refused.object) == ["enslaved-interface"])
            #expect(hazards(refused.object).first?["message"] as? String
                == "\(Self.nic) is network interface \(interface), a member of bridge vfioadm-br0")
            #expect(Guest.bindings() == before)

            let forced = try json(["claim", Self.nic, "--force"])
            #expect(forced.status == 0, "\(forced.object)")
            #expect(Guest.reader.device(try #require(PCIAddress(Self.nic))).driver?.rawValue == "vfio-pci")
            let released = try json(["release", Self.nic])
            #expect(released.status == 0, "\(released.object)")
            #expect(Guest.bindings() == before)
        }

        @Test(.enabled(if: Guest.topology == "intel"))
        func anOpenDRMCardRefusesTheClaimAndForceTakesIt() throws {
            let card = try #require(try FileManager.default.contentsOfDirectory(atPath: "/sys/bus/pci/devices/\(Self.display)/drm")
                .first { $0.hasPrefix("card") })
            let before = Guest.bindings()
            let holder = try holdOpen("/dev/dri/\(card)")
            defer { stop(holder) }
            let refused = try json(["claim", Self.display])
            #expect(refused.status == 3)
            #expect(kinds(refused.object) == ["open-node"])
            #expect(hazards(refused.object).first?["message"] as? String
                == "/dev/dri/\(card) is held open by pid \(holder.pid) (sleep)")
            #expect(Guest.bindings() == before)

            let forced = try json(["claim", Self.display, "--force"])
            #expect(forced.status == 0, "\(forced.object)")
            stop(holder)
            let released = try json(["release", Self.display])
            #expect(released.status == 0, "\(released.object)")
            #expect(Guest.bindings() == before)
        }
    }
}
