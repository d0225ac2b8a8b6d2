import Foundation
import Testing
@testable import VFIOClaim
import VFIOCore
import VFIOSysfs

@Suite struct PersistentClaimParsingTests {
    private let valid = """
        # a comment
        driver vfio-pci
        owner 65534:65534
        device 0000:02:00.0 1b36:000e 1af4:1100
        device 0000:03:02.0 1b36:0010 1af4:1100 serial=00-11-22-33-44-55-66-77

        """

    @Test func aWrittenEntryParsesBackToItself() throws {
        let entry = try PersistentClaim.parse(valid, file: "/etc/vfioadm/claims/0000:02:00.0.conf")
        #expect(entry.driver == "vfio-pci")
        #expect(entry.owner == "65534:65534")
        #expect(entry.members.map(\.address.description) == ["0000:02:00.0", "0000:03:02.0"])
        #expect(entry.members.last?.serial == "00-11-22-33-44-55-66-77")
        #expect(try PersistentClaim.parse(entry.text, file: "x") == entry)
    }

    @Test(arguments: [
        ("device 0000:03:02.0 1b36:0010 1af4:1100\n", 0, "no 'driver' line"),
        ("driver vfio-pci\n", 0, "no 'device' line"),
        ("driver vfio-pci\ndriver vfio-pci\n", 2, "expected one 'driver NAME' line"),
        ("driver nvme\n", 1, "is not vfio-pci"),
        ("driver vfio-pci\nowner nobody\n", 2, "is not UID:GID"),
        ("driver vfio-pci\ndevice 03:02.0 1b36:0010 1af4:1100\n", 2, "is not a PCI address"),
        ("driver vfio-pci\ndevice ../../etc 1b36:0010 1af4:1100\n", 2, "is not a PCI address"),
        ("driver vfio-pci\ndevice 0000:03:02.0 1b36:10 1af4:1100\n", 2, "IDs must be four hex digits"),
        ("driver vfio-pci\ndevice 0000:03:02.0 1b36:0010 1af4:1100 serial=zz\n", 2, "is not serial="),
        ("driver vfio-pci\ndevice 0000:03:02.0 1b36:0010\n", 2, "expected 'device"),
        ("driver vfio-pci\ndevice 0000:03:02.0 1b36:0010 1af4:1100\ndevice 0000:03:02.0 1b36:0010 1af4:1100\n", 3,
         "listed twice"),
        ("driver vfio-pci\nclaim 0000:03:02.0\n", 2, "unknown keyword \"claim\""),
    ])
    func everyMalformedLineIsNamedWithFileAndLine(_ text: String, _ line: Int, _ reason: String) {
        #expect {
            try PersistentClaim.parse(text, file: "/etc/vfioadm/claims/x.conf")
        } throws: { error in
            guard let error = error as? PersistentClaim.ParseError else { return false }
            return error.line == line && error.reason.contains(reason)
                && error.description.hasPrefix("/etc/vfioadm/claims/x.conf:\(line): ")
        }
    }
}

@Suite struct ApplierTests {
    private let group2 = ClaimHost.group(2)

    private func applier(_ host: ClaimHost) -> Applier {
        Applier(paths: host.paths, writer: host.kernel, scan: HazardScan(paths: host.paths, ipv4Addresses: { [:] }),
                viability: StubViability())
    }

    /// Group 2 recorded as a persistent claim, as `claim --persist` would.
    private func persist(_ host: ClaimHost) throws -> PersistentClaim {
        let entry = Persistence(paths: host.paths).entry(for: group2, driver: "vfio-pci", owner: nil)
        try ClaimConfig(paths: host.paths).save(entry)
        return entry
    }

    @Test func applyClaimsWhatIsListedThenChangesNothing() throws {
        let host = try ClaimHost()
        let entry = try persist(host)
        #expect(entry.members.map(\.address.description) == ["0000:02:00.0", "0000:03:01.0", "0000:03:02.0"])
        let first = try applier(host).run(dryRun: false, boot: false)
        #expect(first.changed)
        #expect(first.groups.map(\.action) == [.claimed])
        #expect(host.kernel.current("0000:03:02.0") == "vfio-pci")
        #expect(try JournalStore(paths: host.paths).load(group2)?.persistent == true)
        let writes = host.kernel.log.count

        let second = try applier(host).run(dryRun: false, boot: false)
        #expect(!second.changed)
        #expect(second.groups.map(\.action) == [.unchanged])
        #expect(host.kernel.log.count == writes, "the second apply writes nothing")
    }

    @Test func aDryRunPlansAndWritesNothing() throws {
        let host = try ClaimHost()
        _ = try persist(host)
        let report = try applier(host).run(dryRun: true, boot: false)
        #expect(report.groups.map(\.action) == [.claimed])
        #expect(report.groups.first?.writes.count == 5)
        #expect(host.kernel.log.isEmpty)
        #expect(!host.journalExists)
    }

    @Test func anotherDeviceAtTheRecordedAddressIsSkippedAndUntouched() throws {
        let host = try ClaimHost()
        _ = try persist(host)
        try host.tree.write("sys/devices/pci0000:00/0000:03:02.0/device", "0x0011\n")
        try? FileManager.default.removeItem(at: host.tree.root.appendingPathComponent("sys/devices/pci0000:00/0000:03:02.0/uevent"))
        let report = try applier(host).run(dryRun: false, boot: true)
        #expect(report.groups.map(\.action) == [.skipped])
        #expect(report.groups.first?.reason?.contains("0000:03:02.0 is now 1b36:0011") == true)
        #expect(host.kernel.log.isEmpty, "nothing is written to a device that is not the one recorded")
        #expect(ApplyRecord.load(paths: host.paths)?.skipped.first?.entry == "0000:02:00.0")
    }

    @Test func aGroupThatGainedAMemberIsSkipped() throws {
        let host = try ClaimHost()
        let recorded = try persist(host)
        let fewer = PersistentClaim(driver: "vfio-pci", owner: nil, members: recorded.members.filter {
            $0.address.description != "0000:03:01.0" })
        try FileManager.default.removeItem(atPath: host.paths.claim(recorded.name))
        try ClaimConfig(paths: host.paths).save(fewer)
        let report = try applier(host).run(dryRun: false, boot: false)
        #expect(report.groups.first?.reason == "group 2 now has 0000:03:01.0, which was not in it when the entry was written")
        #expect(host.kernel.log.isEmpty)
    }

    @Test func aMountedNVMeIsSkippedAtBootAndTheOverrideTheRuleSetIsGivenBack() throws {
        let host = try ClaimHost()
        _ = try persist(host)
        try host.tree.addDisk("nvme0n1", below: "0000:03:02.0", number: "259:0")
        try host.tree.mounts([("259:0", "/srv")])
        // The udev rule held the unbound edu for vfio-pci.
        try host.tree.write("sys/devices/pci0000:00/0000:03:01.0/driver_override", "vfio-pci\n")
        let report = try applier(host).run(dryRun: false, boot: true)
        #expect(report.groups.map(\.action) == [.skipped])
        #expect(report.groups.first?.reason?.hasPrefix("refused: 0000:03:02.0 backs /dev/nvme0n1, mounted on /srv") == true)
        #expect(host.kernel.current("0000:03:02.0") == "nvme")
        #expect(host.kernel.overrideValue("0000:03:01.0") == nil, "the override the rule wrote is cleared")
        #expect(report.groups.first?.writes.map(\.value) == ["\n", "0000:03:01.0"])
    }

    @Test func aHeldGroupWhoseEntryIsGoneIsReleasedAndATransientClaimIsNot() throws {
        let host = try ClaimHost()
        let entry = try persist(host)
        _ = try applier(host).run(dryRun: false, boot: false)
        _ = try host.claimer().run(.init(groups: [ClaimHost.group(1)]))
        try FileManager.default.removeItem(atPath: host.paths.claim(entry.name))
        let report = try applier(host).run(dryRun: false, boot: false)
        #expect(report.groups.map(\.action) == [.released])
        #expect(report.groups.first?.group == group2)
        #expect(host.kernel.current("0000:03:02.0") == "nvme")
        #expect(host.kernel.current("0000:01:00.0") == "vfio-pci", "a claim made without --persist stays")
    }

    @Test func theUdevQueryHoldsOnlyListedMatchingEndpoints() throws {
        let host = try ClaimHost()
        _ = try persist(host)
        let query = OverrideQuery(paths: host.paths)
        #expect(try query.driver(for: try #require(PCIAddress("0000:03:02.0"))) == "vfio-pci")
        #expect(try query.driver(for: try #require(PCIAddress("0000:02:00.0"))) == nil, "a bridge is never held")
        #expect(try query.driver(for: try #require(PCIAddress("0000:01:00.0"))) == nil, "not listed")
        try host.tree.write("sys/devices/pci0000:00/0000:03:01.0/vendor", "0x8086\n")
        try? FileManager.default.removeItem(at: host.tree.root.appendingPathComponent("sys/devices/pci0000:00/0000:03:01.0/uevent"))
        #expect(try query.driver(for: try #require(PCIAddress("0000:03:01.0"))) == nil, "not the device recorded")
    }

    @Test func bootFilesCallThisBinaryWithTheConfigDirectory() throws {
        let host = try ClaimHost()
        let boot = BootFiles(udevDirectory: host.tree.root.path + "/etc/udev/rules.d",
                             unitDirectory: host.tree.root.path + "/etc/systemd/system")
        #expect(boot.state == (false, false, false))
        let files = try boot.install(binary: "/usr/bin/vfioadm", config: "/etc/vfioadm")
        #expect(files.count == 3)
        #expect(boot.state == (true, true, true))
        let rule = try String(contentsOfFile: boot.rulePath, encoding: .utf8)
        #expect(rule.contains("PROGRAM=\"/usr/bin/vfioadm persist override %k --config-dir /etc/vfioadm\""))
        #expect(rule.contains("ATTR{driver_override}=\"%c\""))
        let unit = try String(contentsOfFile: boot.unitPath, encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/bin/vfioadm apply --boot --config-dir /etc/vfioadm"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: boot.wantsPath) == "../vfioadm-apply.service")
    }

    @Test func thePackagedBootFilesCountUntilTheAdminsOverrideThem() throws {
        let host = try ClaimHost()
        _ = try persist(host)
        let etc = BootFiles(udevDirectory: host.tree.root.path + "/etc/udev/rules.d",
                            unitDirectory: host.tree.root.path + "/etc/systemd/system")
        let packaged = BootFiles(udevDirectory: host.tree.root.path + BootFiles.packageUdevDirectory,
                                 unitDirectory: host.tree.root.path + BootFiles.packageUnitDirectory)
        let status = { PersistenceCheck(paths: host.paths, boot: etc, packaged: packaged).run().first }
        #expect(status()?.status == .warn, "nothing installed")
        #expect(try packaged.install(binary: "/usr/bin/vfioadm", config: "/etc/vfioadm", enable: false)
                    == [packaged.rulePath, packaged.unitPath], "the package enables the unit in its postinst")
        #expect(status()?.status == .warn, "installed but not enabled")
        try FileManager.default.createDirectory(atPath: etc.unitDirectory + "/multi-user.target.wants",
                                                withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: etc.wantsPath, withDestinationPath: packaged.unitPath)
        #expect(status()?.status == .pass)
        #expect(status()?.evidence.map(\.source).contains(packaged.rulePath) == true)
        _ = try etc.install(binary: "/usr/bin/vfioadm", config: "/etc/vfioadm")
        #expect(status()?.evidence.map(\.source).contains(etc.rulePath) == true, "the admin's copy overrides")
        #expect(try String(contentsOfFile: etc.rulePath, encoding: .utf8)
                    == String(contentsOfFile: packaged.rulePath, encoding: .utf8))
    }
}

@Suite struct PersistentVFsTests {
    @Test func aVFCountParsesBackToItselfAndNamesBadLines() throws {
        let entry = try PersistentVFs.parse("pf 0000:04:00.0 8086:10d3 1af4:1100\nvfs 4\n", file: "f")
        #expect(entry.count == 4)
        #expect(try PersistentVFs.parse(entry.text, file: "f") == entry)
        for (text, line) in [("pf 0000:04:00.0 8086:10d3\nvfs 4\n", 1), ("pf 0000:04:00.0 8086:10d3 1af4:1100\nvfs -1\n", 2),
                             ("vfs 4\n", 0), ("pf 0000:04:00.0 8086:10d3 1af4:1100\nnumvfs 4\n", 2)] {
            #expect(throws: PersistentClaim.ParseError.self) { try PersistentVFs.parse(text, file: "f") }
            do { _ = try PersistentVFs.parse(text, file: "f") } catch { #expect(error.line == line, "\(text)") }
        }
    }

    @Test func applySetsARecordedVFCountBeforeTheClaims() throws {
        let host = try ClaimHost()
        let nic = "sys/devices/pci0000:00/0000:04:00.0/"
        try host.tree.write(nic + "sriov_totalvfs", "8\n")
        try host.tree.write(nic + "sriov_numvfs", "0\n")
        try host.tree.write(nic + "sriov_drivers_autoprobe", "1\n")
        let address = try #require(PCIAddress("0000:04:00.0"))
        let member = try #require(PersistentClaim.Member(host.reader.device(address), root: host.tree.hostRoot))
        try ClaimConfig(paths: host.paths).save(PersistentVFs(pf: member, count: 2))
        let applier = Applier(paths: host.paths, writer: host.kernel,
                              scan: HazardScan(paths: host.paths, ipv4Addresses: { [:] }), viability: StubViability())
        let report = try applier.run(dryRun: true, boot: false)
        #expect(report.groups.map(\.action) == [.configured])
        #expect(report.groups.first?.writes.map(\.value) == ["0", "2"], "autoprobe off, then the count")
        #expect(report.changed)
        #expect(host.kernel.log.isEmpty)

        try host.tree.write(nic + "device", "0x10d4\n")
        try? FileManager.default.removeItem(at: host.tree.root.appendingPathComponent(nic + "uevent"))
        let skipped = try applier.run(dryRun: true, boot: false)
        #expect(skipped.groups.map(\.action) == [.skipped], "another PF at the address")
    }
}

@Suite struct PersistenceRecordTests {
    /// `claim --persist` of a group recorded as it is now lists no file, and leaves
    /// the file as it was; a changed entry (another owner) is written and listed.
    @Test func recordingAnEntryAgainWritesAndListsNothing() throws {
        let host = try ClaimHost()
        let persistence = Persistence(paths: host.paths)
        let file = host.paths.claim("0000:02:00.0")
        #expect(try persistence.record([ClaimHost.group(2)], driver: "vfio-pci", owner: nil) == [file])
        let written = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 0)], ofItemAtPath: file)

        #expect(try persistence.record([ClaimHost.group(2)], driver: "vfio-pci", owner: nil) == [])
        let after = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date
        #expect(after == Date(timeIntervalSince1970: 0), "the file was rewritten (was \(String(describing: written)))")

        let owner = NodeOwner(user: "nobody", uid: 65534, gid: 65534)
        #expect(try persistence.record([ClaimHost.group(2)], driver: "vfio-pci", owner: owner) == [file])
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("owner 65534:65534"))
    }
}
