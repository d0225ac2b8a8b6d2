import Foundation
import Testing
import VFIOCore
import VFIOSysfs

extension GuestDevices {
    /// `claim`, `release` and `status` against the guest's real PCI core: the
    /// kernel binds and unbinds, and `VFIO_GROUP_GET_STATUS` gives the verdict.
    @Suite struct ClaimGuestTests {
        /// A state directory of the test's own, so no test sees another's journal.
        private let state = "/run/vfioadm-test-\(UInt32.random(in: 0...UInt32.max))"

        private func vfioadm(_ arguments: [String], environment: [String: String] = [:]) throws
            -> (status: Int32, stdout: String, stderr: String)
        {
            try Subprocess.run(VFIOAdmBinary.path, arguments + ["--state-dir", state], environment: environment)
        }

        private func json(_ arguments: [String]) throws -> (status: Int32, object: [String: Any]) {
            let result = try vfioadm(arguments + ["--json"])
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return (result.status, try #require(object, "vfioadm \(arguments): \(result.stdout)\(result.stderr)"))
        }

        private func mixedGroup() throws -> (group: IOMMUGroupID, edu: PCIAddress, nvme: PCIAddress) {
            let nvme = try #require(Guest.nvme, "the topology has no NVMe")
            let group = try #require(nvme.iommuGroup, "the NVMe has no IOMMU group")
            let edu = try #require(Guest.edus.first { $0.iommuGroup == group })
            return (group, edu.address, nvme.address)
        }

        /// Puts the mixed group back by hand if a test left it claimed.
        private func restoreMixedGroup(_ edu: PCIAddress, _ nvme: PCIAddress) {
            _ = try? vfioadm(["release", edu.description])
            if Guest.reader.device(nvme).driver?.rawValue != "nvme" {
                try? SysfsWrite.release(nvme)
            }
            try? SysfsWrite.release(edu)
            try? SysfsWrite.unbind(edu)
        }

        @Test(.enabled(if: Guest.topology == "intel"))
        func aMountedFileSystemBlocksTheClaimAndReleaseGivesItBackIntact() throws {
            let (group, edu, nvme) = try mixedGroup()
            defer { restoreMixedGroup(edu, nvme) }
            #expect(Guest.waitForNamespace())
            let mountPoint = "/tmp/vfioadm-nvme"
            mkdir(mountPoint, 0o755)
            #expect(mount("/dev/nvme0n1", mountPoint, "ext4", 0, nil) == 0, "mount: \(String(cString: strerror(errno)))")
            let before = Guest.bindings()

            let refused = try json(["claim", edu.description])
            #expect(refused.status == 3)
            let outcome = try #require((refused.object["groups"] as? [[String: Any]])?.first)
            #expect(outcome["result"] as? String == "refused")
            let hazards = outcome["hazards"] as? [[String: Any]] ?? []
            #expect(hazards.map { $0["kind"] as? String } == ["mounted-filesystem"])
            #expect(hazards.first?["message"] as? String == "\(nvme) backs /dev/nvme0n1, mounted on \(mountPoint)")
            #expect(Guest.bindings() == before, "a refused claim writes nothing")
            #expect(!FileManager.default.fileExists(atPath: state + "/group-\(group).json"))

            #expect(umount(mountPoint) == 0)
            let claimed = try json(["claim", edu.description])
            #expect(claimed.status == 0, "\(claimed.object)")
            let result = try #require((claimed.object["groups"] as? [[String: Any]])?.first)
            #expect(result["result"] as? String == "claimed")
            #expect(Guest.reader.device(edu).driver?.rawValue == "vfio-pci")
            #expect(Guest.reader.device(nvme).driver?.rawValue == "vfio-pci")
            #expect(try VFIOGroup(group).status().contains(.viable), "the kernel's own verdict")

            let probe = try VFIOAdmBinary.run(["probe", edu.description, "--mode", "type1v2", "--size", "2M"])
            #expect(probe.status == 0, "\(probe.stdout)\(probe.stderr)")

            let again = try json(["claim", "\(group)"])
            #expect((again.object["groups"] as? [[String: Any]])?.first?["result"] as? String == "unchanged")

            let released = try json(["release", "\(group)"])
            #expect(released.status == 0, "\(released.object)")
            #expect(Guest.bindings() == before, "release restores every driver and override")
            #expect(Guest.waitForNamespace())
            #expect(mount("/dev/nvme0n1", mountPoint, "ext4", UInt(MS_RDONLY), nil) == 0)
            defer { umount(mountPoint) }
            #expect(try String(contentsOfFile: mountPoint + "/hello.txt", encoding: .utf8) == "vfioadm nvme fixture\n")
        }

        /// The claim of the mixed group makes five writes; vfioadm is SIGKILLed
        /// right after each, and `release` (odd steps) or `claim` then `release`
        /// (even steps) must bring back exactly the state before.
        @Test(.enabled(if: Guest.topology == "intel"))
        func aClaimKilledAfterAnyWriteIsRecovered() throws {
            let (group, edu, nvme) = try mixedGroup()
            defer { restoreMixedGroup(edu, nvme) }
            #expect(Guest.waitForNamespace())
            let before = Guest.bindings()
            for step in 1...5 {
                let killed = try vfioadm(["claim", "\(group)"], environment: ["VFIOADM_TEST_CRASH_AFTER_WRITE": "\(step)"])
                #expect(killed.status == 128 + SIGKILL, "step \(step): \(killed.stdout)\(killed.stderr)")
                #expect(Guest.bindings() != before, "step \(step): the killed claim had changed something")
                let status = try json(["status"])
                #expect(status.status == 2)
                let held = (status.object["groups"] as? [[String: Any]])?.first
                #expect((held?["drift"] as? [String])?.first?.hasPrefix("interrupted while claiming") == true)

                if step % 2 == 0 {
                    let claimed = try json(["claim", "\(group)"])
                    #expect(claimed.status == 0, "step \(step): \(claimed.object)")
                    #expect(try VFIOGroup(group).status().contains(.viable))
                }
                let released = try json(["release", "\(group)"])
                #expect(released.status == 0, "step \(step): \(released.object)")
                #expect(Guest.bindings() == before, "step \(step): back to the state before the claim")
                #expect(Guest.waitForNamespace())
                #expect(try json(["status"]).status == 0)
            }
        }

        /// Waits (up to a minute) until `count` processes are blocked on the flock of `path`:
        /// the kernel lists them in /proc/locks as `->` entries on the file's inode.
        private func waitForWaiters(_ count: Int, onLockAt path: String) -> Bool {
            var info = stat()
            guard stat(path, &info) == 0 else { return false }
            let inode = ":\(info.st_ino) "
            for _ in 0..<600 {
                let locks = (try? String(contentsOfFile: "/proc/locks", encoding: .utf8)) ?? ""
                let waiters = locks.split(separator: "\n").filter { $0.contains("->") && $0.contains(inode) }
                if waiters.count >= count { return true }
                usleep(100_000)
            }
            return false
        }

        /// Two claims of the same group while the test holds the lock: both wait,
        /// then one claims and the other finds it held.
        @Test(.enabled(if: Guest.topology == "intel"))
        func overlappingClaimsWaitForEachOther() throws {
            let (group, edu, nvme) = try mixedGroup()
            defer { restoreMixedGroup(edu, nvme) }
            mkdir(state, 0o700)
            let lock = open(state + "/lock", O_RDWR | O_CREAT, 0o600)
            #expect(flock(lock, LOCK_EX) == 0)
            let first = try Subprocess.start(VFIOAdmBinary.path, ["claim", edu.description, "--json", "--state-dir", state])
            let second = try Subprocess.start(VFIOAdmBinary.path, ["claim", nvme.description, "--json", "--state-dir", state])
            #expect(waitForWaiters(2, onLockAt: state + "/lock"), "both claims block on the lock")
            #expect(Guest.bindings()[edu.description] == "- (null)", "nobody wrote while the lock was held")
            flock(lock, LOCK_UN)
            close(lock)
            let results = try [first.wait(), second.wait()]
            var outcomes: [String] = []
            for result in results {
                #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
                let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
                #expect((object["lockWaitSeconds"] as? Double ?? 0) > 0)
                outcomes += (object["groups"] as? [[String: Any]] ?? []).compactMap { $0["result"] as? String }
            }
            #expect(outcomes.sorted() == ["claimed", "unchanged"])
            #expect(try VFIOGroup(group).status().contains(.viable))
        }

        @Test(.enabled(if: Guest.topology == "intel"), arguments: [
            ["claim", "0000:03:01.7x"], ["claim", "../9"], ["claim"], ["claim", ""], ["claim", "99"],
            ["claim", "0000:0f:00.0"], ["claim", "9", "--driver", "nvme"], ["claim", "9", "--driver", "../vfio-pci"],
            ["claim", "9", "--owner", "no-such-user"], ["claim", "9", "--owner", "a:b:c"], ["release", "../../sys"],
            ["release", "9", "--state-dir", "run/x"], ["status", "--state-dir", "/run/../tmp"],
            ["claim", "9", "--timeout", "0"], ["claim", "9", "--timeout", "3601"], ["release", "9", "--timeout", "x"],
        ])
        func invalidInputIsAUsageErrorThatWritesNothing(_ arguments: [String]) throws {
            let before = Guest.bindings()
            let result = try Subprocess.run(VFIOAdmBinary.path, arguments + (arguments.contains("--state-dir") ? [] : ["--state-dir", state]))
            #expect(result.status == 64, "\(arguments): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.hasPrefix("vfioadm: "), "\(result.stderr)")
            #expect(Guest.bindings() == before)
            #expect(!FileManager.default.fileExists(atPath: state))
        }

        @Test(.enabled(if: Guest.topology == "intel"), arguments: [["claim", "9"], ["release", "9"]])
        func withoutRootNothingIsWritten(_ arguments: [String]) throws {
            let before = Guest.bindings()
            let result = try Subprocess.run("/usr/bin/setpriv", [
                "--reuid=65534", "--regid=65534", "--clear-groups", "--", VFIOAdmBinary.path,
            ] + arguments + ["--state-dir", state])
            #expect(result.status == 77, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("run it as root"))
            #expect(Guest.bindings() == before)
            #expect(!FileManager.default.fileExists(atPath: state))
        }

        /// root's 0700 state directory is not readable by others: status says so rather than "nothing held".
        @Test(.enabled(if: Guest.topology == "intel"))
        func statusWithoutAccessToTheStateDirectoryIsAPermissionError() throws {
            #expect(mkdir(state, 0o700) == 0)
            defer { rmdir(state) }
            let result = try Subprocess.run("/usr/bin/setpriv", [
                "--reuid=65534", "--regid=65534", "--clear-groups", "--", VFIOAdmBinary.path, "status",
                "--state-dir", state,
            ])
            #expect(result.status == 77, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("cannot read the state directory \(state): Permission denied (EACCES)"))
        }

        /// A state directory others could write, or a symbolic link to one, is refused (77) before any write.
        @Test(.enabled(if: Guest.topology == "intel"))
        func aStateDirectoryOthersCouldSteerIsRefused() throws {
            let edu = try #require(Guest.edus.first { $0.address.bus == 1 })
            let before = Guest.bindings()
            #expect(mkdir(state, 0o777) == 0 && chmod(state, 0o777) == 0)
            defer { rmdir(state) }
            let open = try vfioadm(["claim", edu.address.description])
            #expect(open.status == 77, "\(open.stdout)\(open.stderr)")
            #expect(open.stderr.contains("the state directory \(state) is writable by its group or by others (mode 0777)"))
            let link = state + "-link"
            #expect(symlink(state, link) == 0)
            defer { unlink(link) }
            let linked = try Subprocess.run(VFIOAdmBinary.path, ["status", "--state-dir", link])
            #expect(linked.status == 77)
            #expect(linked.stderr.contains("is a symbolic link"))
            #expect(Guest.bindings() == before)
        }

        /// `--owner` hands the nodes to an unprivileged user, who can then map DMA
        /// through iommufd; release puts /dev/iommu back as it was.
        @Test(.enabled(if: Guest.topology == "intel"))
        func anOwnerCanUseTheGroupWithoutRootAndReleaseRestoresTheNodes() throws {
            let edu = try #require(Guest.edus.first { $0.address.bus == 1 })
            let group = try #require(edu.iommuGroup)
            defer {
                _ = try? vfioadm(["release", "\(group)"])
                try? SysfsWrite.release(edu.address)
            }
            var iommuBefore = stat()
            #expect(stat("/dev/iommu", &iommuBefore) == 0)

            let claimed = try json(["claim", edu.address.description, "--owner", "65534:65534"])
            #expect(claimed.status == 0, "\(claimed.object)")
            var node = stat()
            #expect(stat("/dev/vfio/\(group)", &node) == 0)
            #expect(node.st_uid == 65534 && node.st_gid == 65534 && node.st_mode & 0o777 == 0o660)
            let cdev = try #require(Guest.reader.device(edu.address).vfioDevice)
            #expect(stat("/dev/vfio/devices/\(cdev)", &node) == 0)
            #expect(node.st_uid == 65534)
            #expect(stat("/dev/iommu", &node) == 0)
            #expect(node.st_gid == 65534 && node.st_mode & 0o060 == 0o060 && node.st_uid == iommuBefore.st_uid)

            let probe = try Subprocess.run("/usr/bin/setpriv", [
                "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                VFIOAdmBinary.path, "probe", edu.address.description, "--mode", "iommufd", "--size", "64K",
            ])
            #expect(probe.status == 0, "\(probe.stdout)\(probe.stderr)")

            let released = try json(["release", "\(group)"])
            #expect(released.status == 0)
            #expect(stat("/dev/iommu", &node) == 0)
            #expect(node.st_uid == iommuBefore.st_uid && node.st_gid == iommuBefore.st_gid
                && node.st_mode == iommuBefore.st_mode)
            #expect(!FileManager.default.fileExists(atPath: "/dev/vfio/\(group)"))
            #expect(Guest.reader.device(edu.address).driver == nil)
        }

        /// An interface that is up with an address refuses the claim (a dry run
        /// says so with exit 3); down, the plan is clean.
        @Test(.enabled(if: Guest.topology == "intel"))
        func anActiveNetworkInterfaceBlocksTheClaim() throws {
            let nic = "0000:00:04.0"
            let interface = try #require(try FileManager.default.contentsOfDirectory(atPath: "/sys/bus/pci/devices/\(nic)/net").first)
            defer { _ = try? Subprocess.run("/bin/busybox", ["ip", "link", "set", interface, "down"]) }
            #expect(try Subprocess.run("/bin/busybox", ["ip", "link", "set", interface, "up"]).status == 0)
            #expect(try Subprocess.run("/bin/busybox", ["ip", "addr", "add", "192.0.2.1/24", "dev", interface]).status == 0)

            let refused = try json(["claim", nic, "--dry-run"])
            #expect(refused.status == 3)
            let hazards = (refused.object["groups"] as? [[String: Any]])?.first?["hazards"] as? [[String: Any]] ?? []
            #expect(hazards.map { $0["kind"] as? String } == ["network-interface"])
            #expect((hazards.first?["message"] as? String)?.contains("\(interface), up with 192.0.2.1") == true)

            #expect(try Subprocess.run("/bin/busybox", ["ip", "link", "set", interface, "down"]).status == 0)
            let clean = try json(["claim", nic, "--dry-run"])
            #expect(clean.status == 0, "\(clean.object)")
        }

        @Test(.enabled(if: Guest.topology == "noiommu" || Guest.topology == "virtio"))
        func aDeviceWithoutAGroupIsUnavailable() throws {
            // virtio-iommu never gives the edu behind the PCIe-to-PCI bridge a group.
            let bus: UInt8 = Guest.topology == "virtio" ? 3 : 1
            let edu = try #require(Guest.edus.first { $0.address.bus == bus })
            let result = try vfioadm(["claim", edu.address.description])
            #expect(result.status == 69, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains(Guest.topology == "noiommu" ? "no IOMMU groups" : "has no iommu_group link"))
        }
    }
}
