import VFIOClaim
import VFIOSysfs

/// The `nodes` report: each device's nodes, and the same devices as QEMU
/// arguments and libvirt elements.
struct NodesReport: Encodable {
    let schemaVersion = 1
    let devices: [DeviceHandOff.JSON]
    /// QEMU 7.2+, group backend.
    let qemuGroup: String
    /// QEMU 9+, iommufd backend.
    let qemuIOMMUFD: String
    let libvirt: String

    init(_ devices: [DeviceHandOff]) {
        self.devices = devices.map(DeviceHandOff.JSON.init)
        qemuGroup = devices.map { "-device vfio-pci,host=\($0.address)" }.joined(separator: " ")
        qemuIOMMUFD = (["-object iommufd,id=iommufd0"]
            + devices.map { "-device vfio-pci,host=\($0.address),iommufd=iommufd0" }).joined(separator: " ")
        libvirt = devices.map(Self.hostdev).joined(separator: "\n")
    }

    /// `<hostdev mode='subsystem' type='pci' managed='no'>` with the source address.
    static func hostdev(_ device: DeviceHandOff) -> String {
        let address = device.address
        return """
            <hostdev mode='subsystem' type='pci' managed='no'>
              <source>
                <address domain='0x\(zeroPaddedHex(address.domain, 4))' bus='0x\(zeroPaddedHex(address.bus, 2))' \
            slot='0x\(zeroPaddedHex(address.device, 2))' function='0x\(address.function)'/>
              </source>
            </hostdev>
            """
    }
}
