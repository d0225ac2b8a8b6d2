import Foundation
import Testing
import VFIOCore
import VFIOSysfs

extension GuestDevices {
    /// Two vfioadm processes claiming and releasing overlapping groups in a
    /// loop while a third reads `status` throughout: the lock serialises them,
    /// journals are replaced whole (never torn), and at the end every group is
    /// either held with its members on vfio-pci or free with its members as
    /// they were. VFIOADM_CONCURRENCY_ROUNDS sets the rounds (default 10; the
    /// issue's figure is 200, about 20 minutes under TCG).
    @Suite struct ConcurrencyGuestTests {
        private let state = "/run/vfioadm-race-\(UInt32.random(in: 0...UInt32.max))"
        private let rounds = ProcessInfo.processInfo.environment["VFIOADM_CONCURRENCY_ROUNDS"].flatMap(Int.init) ?? 10

        @Test(.enabled(if: Guest.topology == "intel"))
        func overlappingClaimsAndReleasesStayConsistent() throws {
            let lone = try #require(Guest.edus.first { $0.address.bus == 1 }?.iommuGroup)
            let pair = try #require(Guest.edus.first { $0.address.device == 5 }?.iommuGroup)
            let before = Guest.bindings()
            defer { _ = try? Subprocess.run(VFIOAdmBinary.path, ["release", "\(lone)", "\(pair)", "--state-dir", state]) }
            func loop(_ groups: [IOMMUGroupID]) -> String {
                let arguments = groups.map(\.description).joined(separator: " ")
                return "for i in $(seq \(rounds)); do \(VFIOAdmBinary.path) claim \(arguments) --state-dir \(state) "
                    + "|| echo FAILED claim $?; \(VFIOAdmBinary.path) release \(arguments) --state-dir \(state) "
                    + "|| echo FAILED release $?; done"
            }
            let first = try Subprocess.start("/bin/sh", ["-c", loop([lone, pair])])
            let second = try Subprocess.start("/bin/sh", ["-c", loop([pair])])
            let reader = try Subprocess.start("/bin/sh", ["-c", "while kill -0 \(first.pid) 2>/dev/null; do "
                + "\(VFIOAdmBinary.path) status --json --state-dir \(state) > /dev/null 2> /tmp/race-status.err; "
                + "s=$?; [ $s -eq 0 ] || [ $s -eq 2 ] || { echo TORN $s; cat /tmp/race-status.err; }; done"])
            let results = try [first.wait(), second.wait(), reader.wait()]
            for result in results {
                #expect(!result.stdout.contains("FAILED") && !result.stdout.contains("TORN"), "\(result.stdout)\(result.stderr)")
            }
            // Both loops end with a release: everything is back as it was, and no journal is left.
            #expect(Guest.bindings() == before)
            let status = try Subprocess.run(VFIOAdmBinary.path, ["status", "--json", "--state-dir", state])
            #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            #expect((object?["groups"] as? [Any])?.isEmpty == true)
        }
    }
}
