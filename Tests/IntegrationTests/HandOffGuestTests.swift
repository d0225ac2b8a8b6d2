import Foundation
import Testing
import VFIOCore
import VFIOSysfs

extension GuestDevices {
    /// From a claimed device to a running VMM: selectors checked against the
    /// kernel's own links, and Debian's QEMU started as an unprivileged user
    /// with the arguments `vfioadm nodes --qemu` prints.
    @Suite struct HandOffGuestTests {
        private let state = "/run/vfioadm-handoff-\(UInt32.random(in: 0...UInt32.max))"

        private func vfioadm(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try Subprocess.run(VFIOAdmBinary.path, arguments)
        }

        private func json(_ arguments: [String]) throws -> (status: Int32, object: [String: Any]) {
            let result = try vfioadm(arguments + ["--json"])
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return (result.status, try #require(object, "vfioadm \(arguments): \(result.stdout)\(result.stderr)"))
        }

        /// The PCI function a sysfs `device` link chain leads to, as the kernel links it.
        private func function(of link: String) throws -> String {
            var path = try #require(realPath(link), "\(link) does not resolve")
            while let last = path.split(separator: "/").last, PCIAddress(last) == nil || last.count != 12 {
                path = String(path[..<path.lastIndex(of: "/")!])
            }
            return String(path.split(separator: "/").last!)
        }

        private func resolved(_ object: [String: Any]) -> [String] {
            (object["selectors"] as? [[String: Any]])?.first?["devices"] as? [String] ?? []
        }

        @Test(.enabled(if: Guest.topology == "intel"))
        func selectorsNameTheFunctionsTheKernelLinks() throws {
            let interface = try #require(try FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")
                .first { realPath("/sys/class/net/\($0)/device") != nil })
            let net = try json(["check", "net:\(interface)"])
            #expect(resolved(net.object) == [try function(of: "/sys/class/net/\(interface)/device")])
            #expect(resolved(net.object) == ["0000:00:04.0"])

            #expect(Guest.waitForNamespace())
            let block = try json(["check", "block:nvme0n1"])
            // nvme0n1/device is the controller nvme0, whose device is the PCI function.
            #expect(resolved(block.object) == [try function(of: "/sys/block/nvme0n1/device/device")])

            let edus = Guest.edus.map(\.address.description).sorted()
            let ids = try json(["check", "id:1234:11e8"])
            #expect(resolved(ids.object) == edus)
            let ambiguous = try vfioadm(["claim", "id:1234:11e8", "--dry-run", "--state-dir", state])
            #expect(ambiguous.status == 64)
            #expect(ambiguous.stderr.contains("candidates: " + edus.joined(separator: ", ")), "\(ambiguous.stderr)")
            let all = try json(["claim", "id:1234:11e8", "--all", "--dry-run", "--state-dir", state])
            let groups = Set((all.object["groups"] as? [[String: Any]] ?? []).compactMap { $0["group"] as? Int })
            #expect(groups == Set(Guest.edus.compactMap { $0.iommuGroup.map { Int($0.rawValue) } }))

            let unknown = try vfioadm(["check", "net:vfioadm-none"])
            #expect(unknown.status == 64)
            #expect(unknown.stderr.contains("candidates: \(interface) (0000:00:04.0)"))
        }

        /// `claim --owner nobody` of the lone edu, then QEMU 7.2 as nobody with the
        /// `nodes --qemu` arguments: QMP's query-pci shows the edu's IDs.
        @Test(.enabled(if: Guest.topology == "intel"))
        func qemuStartsAsTheOwnerWithTheQemuArguments() throws {
            let edu = try #require(Guest.edus.first { $0.address.bus == 1 })
            let group = try #require(edu.iommuGroup)
            let before = Guest.bindings()
            defer {
                _ = try? vfioadm(["release", "\(group)", "--state-dir", state])
                try? SysfsWrite.release(edu.address)
                try? SysfsWrite.unbind(edu.address)
            }
            let notHeld = try vfioadm(["nodes", edu.address.description])
            #expect(notHeld.status == 2)
            #expect(notHeld.stderr.contains("vfioadm claim \(edu.address)"), "\(notHeld.stderr)")

            let claimed = try json(["claim", edu.address.description, "--owner", "65534:65534", "--state-dir", state])
            #expect(claimed.status == 0, "\(claimed.object)")
            let arguments = try vfioadm(["nodes", "\(group)", "--qemu"])
            #expect(arguments.status == 0, "\(arguments.stderr)")
            #expect(arguments.stdout == "-device vfio-pci,host=\(edu.address)\n")
            let nodes = try json(["nodes", edu.address.description])
            let listed = (nodes.object["devices"] as? [[String: Any]])?.first?["nodes"] as? [[String: Any]] ?? []
            for node in listed {
                var info = stat()
                let path = try #require(node["path"] as? String)
                #expect(stat(path, &info) == 0, "\(path)")
                #expect(node["uid"] as? Int == Int(info.st_uid), "\(path)")
                #expect(node["mode"] as? String == "0" + String(info.st_mode & 0o7777, radix: 8), "\(path)")
            }
            #expect(listed.first { $0["kind"] as? String == "group" }?["uid"] as? Int == 65534)

            let socket = "/tmp/vfioadm-qmp-\(getpid()).sock"
            let qemuCommand = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups -- "
                + "/usr/bin/qemu-system-x86_64 -nodefaults -no-user-config -display none -machine q35 -accel tcg "
                + "-m 64 -S -qmp unix:\(socket),server=on,wait=off \(arguments.stdout.trimmingCharacters(in: .newlines))"
            // Below the guest memory QEMU cannot pin it for DMA, as `claim --owner` warns.
            let locked = try Subprocess.run("/bin/sh", ["-c", "ulimit -l 1024 && exec " + qemuCommand])
            #expect(locked.status != 0)
            #expect(locked.stderr.contains("vfio"), "\(locked.stderr)")
            let qemu = try Subprocess.start("/bin/sh", ["-c", "ulimit -l 262144 && exec " + qemuCommand])
            var qmp = try QMPClient(path: socket)
            _ = try qmp.execute("qmp_capabilities")
            let buses = try #require(try qmp.execute("query-pci") as? [[String: Any]])
            let devices = buses.flatMap { $0["devices"] as? [[String: Any]] ?? [] }
            let ids = devices.compactMap { $0["id"] as? [String: Any] }
                .map { ($0["vendor"] as? Int ?? 0, $0["device"] as? Int ?? 0) }
            #expect(ids.contains { $0 == (0x1234, 0x11e8) }, "query-pci: \(ids)")
            _ = try? qmp.execute("quit")
            qmp.close()
            let exited = try qemu.wait()
            #expect(exited.status == 0, "\(exited.stdout)\(exited.stderr)")

            let released = try json(["release", "\(group)", "--state-dir", state])
            #expect(released.status == 0, "\(released.object)")
            #expect(Guest.bindings() == before)
        }

        @Test(.enabled(if: Guest.topology == "intel"))
        func theLibvirtHostdevValidatesInADomain() throws {
            let edu = try #require(Guest.edus.first { $0.address.bus == 1 })
            let group = try #require(edu.iommuGroup)
            defer {
                _ = try? vfioadm(["release", "\(group)", "--state-dir", state])
                try? SysfsWrite.release(edu.address)
                try? SysfsWrite.unbind(edu.address)
            }
            #expect(try json(["claim", "\(group)", "--state-dir", state]).status == 0)
            let hostdev = try vfioadm(["nodes", "\(group)", "--libvirt"])
            #expect(hostdev.status == 0)
            let file = "/tmp/vfioadm-domain-\(getpid()).xml"
            try """
                <domain type='kvm'>
                  <name>vfioadm-test</name>
                  <memory unit='MiB'>64</memory>
                  <os><type arch='x86_64' machine='q35'>hvm</type></os>
                  <devices>
                \(hostdev.stdout)  </devices>
                </domain>
                """.write(toFile: file, atomically: true, encoding: .utf8)
            let valid = try Subprocess.run("/usr/bin/virt-xml-validate", [file, "domain"])
            #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")
            let broken = hostdev.stdout.replacingOccurrences(of: "managed='no'", with: "managed='maybe'")
            try """
                <domain type='kvm'><name>t</name><memory unit='MiB'>64</memory>
                <os><type arch='x86_64' machine='q35'>hvm</type></os><devices>\(broken)</devices></domain>
                """.write(toFile: file, atomically: true, encoding: .utf8)
            #expect(try Subprocess.run("/usr/bin/virt-xml-validate", [file, "domain"]).status != 0,
                    "the validator rejects what it should")
        }
    }
}
