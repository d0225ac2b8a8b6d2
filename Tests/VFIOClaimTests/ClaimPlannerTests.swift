import Foundation
import Testing
@testable import VFIOClaim
import VFIOSysfs

@Suite struct ClaimPlannerTests {
    private func plan(_ host: ClaimHost, _ group: UInt32, _ choice: DriverChoice = .named(DriverChoice.vfioPCI))
        throws -> GroupPlan
    {
        try ClaimPlanner(paths: host.paths, choice: choice).plan(host.reader.group(ClaimHost.group(group)))
    }

    @Test func mixedGroupMovesBothEndpointsAndLeavesTheBridge() throws {
        let host = try ClaimHost()
        let plan = try plan(host, 2)
        #expect(plan.devices.map(\.action) == [.keepBridge, .bind, .bind])
        let root = host.tree.root.path + "/sys/bus/pci"
        #expect(plan.writes.map { "\($0.path)=\($0.value)" } == [
            "\(root)/devices/0000:03:01.0/driver_override=vfio-pci",
            "\(root)/drivers_probe=0000:03:01.0",
            "\(root)/devices/0000:03:02.0/driver_override=vfio-pci",
            "\(root)/drivers/nvme/unbind=0000:03:02.0",
            "\(root)/drivers_probe=0000:03:02.0",
        ])
    }

    @Test func pciStubAndVFIOMembersStayAndAnOverrideAlreadySetIsNotRewritten() throws {
        let host = try ClaimHost()
        #expect(try plan(host, 5).devices.map(\.action) == [.keepStub, .keepVFIO])
        #expect(try plan(host, 5).writes.isEmpty)

        let preset = try ClaimHost(nvmeOverride: "vfio-pci")
        let writes = try plan(preset, 2).devices[2].writes.map(\.path)
        #expect(writes.allSatisfy { !$0.hasSuffix("driver_override") })
    }

    @Test func autoPicksTheVariantDriverModulesAliasNames() throws {
        let host = try ClaimHost()
        try host.tree.group(6)
        try host.tree.add(.init(address: "0000:06:00.0", vendor: "0x15b3", device: "0x101e", classCode: "0x020000",
                                driver: "mlx5_core", group: 6))
        try host.tree.write("proc/sys/kernel/osrelease", "6.12.0-test\n")
        try host.tree.write("lib/modules/6.12.0-test/modules.alias", """
            alias pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_core
            alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci
            alias vfio_pci:v00001B36d*sv*sd*bc*sc*i* never_loaded_vfio_pci

            """)
        try host.tree.addDriver("mlx5_vfio_pci")
        let device = try plan(host, 6, .auto).devices[0]
        #expect(device.target?.rawValue == "mlx5_vfio_pci")
        #expect(device.targetSource?.hasSuffix("modules.alias: vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i*") == true)

        let edu = try plan(host, 1, .auto).devices[0]
        #expect(edu.target?.rawValue == "vfio-pci")
        #expect(edu.targetSource?.hasPrefix("no vfio_pci alias") == true)
    }

    @Test func autoWithoutModulesAliasFallsBackToVFIOPCI() throws {
        let host = try ClaimHost()
        let device = try plan(host, 1, .auto).devices[0]
        #expect(device.target?.rawValue == "vfio-pci")
        #expect(device.targetSource == "no modules.alias for the running kernel")
    }

    @Test func aVariantDriverThatIsNotLoadedIsUnavailable() throws {
        let host = try ClaimHost()
        let choice = try #require(DriverChoice("mlx5_vfio_pci"))
        #expect {
            try plan(host, 1, choice)
        } throws: { error in
            guard let error = error as? ClaimError else { return false }
            return error.kind == .unavailable && error.message.contains("/sys/bus/pci/drivers/mlx5_vfio_pci does not exist")
                && error.message.contains("modprobe mlx5_vfio_pci")
        }
    }

    @Test(arguments: ["vfio-pci", "mlx5_vfio_pci", "hisi-acc-vfio-pci", "auto"])
    func driverChoiceAcceptsVFIODrivers(_ text: String) {
        #expect(DriverChoice(text) != nil)
    }

    @Test(arguments: ["nvme", "", "../vfio-pci", "vfio-pci/../x", "pci-stub", "vfio", "auto "])
    func driverChoiceRejectsEverythingElse(_ text: String) {
        #expect(DriverChoice(text) == nil)
    }
}
