import Foundation
import Testing
import VFIOCore
import VFIOSysfs

extension GuestDevices {
    /// `vfioadm probe` and `info` on the lone edu, against the real kernel.
    @Suite struct ProbeCommandGuestTests {
        @Test(.enabled(if: Guest.hasIOMMU)) func probeWorksInEveryModeAndInfoShowsEdusRegions() throws {
            let address = LoneEdu.address.description
            let unbound = try VFIOAdmBinary.run(["probe", address])
            #expect(unbound.status == 2, "\(unbound.stderr)")
            #expect(unbound.stderr.contains("is not bound to any driver, not vfio-pci"))

            try LoneEdu.withVFIO {
                let text = try VFIOAdmBinary.run(["probe", address, "--size", "2M"])
                print("[\(Guest.topology ?? "?")] vfioadm probe \(address) --size 2M\n\(text.stdout)\(text.stderr)")
                #expect(text.status == 0)

                let probe = try VFIOAdmBinary.json(["probe", address])
                #expect(probe.status == 0)
                let modes = try #require(probe.object["modes"] as? [[String: Any]])
                #expect(modes.compactMap { $0["mode"] as? String } == Mode.allCases.map(\.rawValue))
                for mode in modes {
                    #expect(mode["outcome"] as? String == "ok", "\(mode)")
                    let steps = (mode["steps"] as? [[String: Any]])?.compactMap { $0["step"] as? String }
                    #expect(steps == ["open", "describe", "allocate", "map", "verify", "unmap", "close"])
                    #expect((mode["iovaRanges"] as? [Any])?.isEmpty == false)
                }
                #expect(modes.first?["iommuType"] as? String == "VFIO_TYPE1_IOMMU")
                #expect(modes.last?["hardware"] != nil)

                let info = try VFIOAdmBinary.run(["info", address])
                print("[\(Guest.topology ?? "?")] vfioadm info \(address)\n\(info.stdout)\(info.stderr)")
                let json = try VFIOAdmBinary.json(["info", address])
                #expect(json.status == 0)
                let regions = try #require(json.object["regions"] as? [[String: Any]])
                let bar0 = try #require(regions.first { $0["name"] as? String == "BAR0" })
                #expect(bar0["size"] as? Int == 1 << 20)
                #expect((bar0["flags"] as? [String])?.contains("mmap") == true)
                let irqs = try #require(json.object["irqs"] as? [[String: Any]])
                #expect(irqs.first { $0["name"] as? String == "INTx" }?["count"] as? Int == 1)
                #expect(json.object["openedWith"] as? String == "iommufd")
            }
        }
    }
}
