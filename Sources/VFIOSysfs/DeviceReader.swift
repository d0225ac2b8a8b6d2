import Glibc
import LinuxSystem

/// Reads one PCI device's attributes from its sysfs directory.
enum DeviceReader {
    /// Reads `/sys/bus/pci/devices/DDDD:BB:DD.F`, opened from `devices`
    /// (`/sys/bus/pci/devices` held open) when given.
    static func read(_ address: PCIAddress, root: HostRoot, devices: SysfsDirectory? = nil) -> PCIDevice {
        var device = PCIDevice(address: address)
        let directory: SysfsDirectory
        do {
            if let devices {
                directory = try SysfsDirectory(address.description, in: devices)
            } else {
                directory = try SysfsDirectory(root.device(address))
            }
        } catch {
            device.problems.append(error)
            return device
        }

        // One read of `uevent` stands for five attribute files and the driver
        // link; a tree without a usable one (a captured tree) is read file by file.
        if case .success(let uevent??) = directory.withOptionalContents("uevent", DeviceUevent.init) {
            device.vendorID = uevent.vendorID
            device.deviceID = uevent.deviceID
            device.subsystemVendorID = uevent.subsystemVendorID
            device.subsystemDeviceID = uevent.subsystemDeviceID
            device.classCode = uevent.classCode
            device.driver = uevent.driver.flatMap(DriverName.init(rawValue:))
        } else {
            device.vendorID = hexAttribute(directory, "vendor", into: &device.problems)
            device.deviceID = hexAttribute(directory, "device", into: &device.problems)
            device.subsystemVendorID = hexAttribute(directory, "subsystem_vendor", into: &device.problems)
            device.subsystemDeviceID = hexAttribute(directory, "subsystem_device", into: &device.problems)
            device.classCode = hexAttribute(directory, "class", into: &device.problems)
            device.driver = optionalLink(directory, "driver", into: &device.problems).flatMap(DriverName.init(rawValue:))
        }
        device.revision = hexAttribute(directory, "revision", into: &device.problems)

        switch directory.read("driver_override") {
        case .success(let text): device.driverOverride = text == "(null)" || text.isEmpty ? nil : text
        case .failure(let problem): device.problems.append(problem)
        }
        // numa_node is missing on kernels built without NUMA.
        switch directory.withOptionalContents("numa_node", Parsed<Int>.decimal) {
        case .success(.value(let node)?): device.numaNode = node < 0 ? nil : node
        case .success(.malformed(let text)?): device.problems.append(malformed(directory, "numa_node", text))
        case .success(nil): break
        case .failure(let problem): device.problems.append(problem)
        }

        device.iommuGroup = optionalLink(directory, "iommu_group", into: &device.problems).flatMap(IOMMUGroupID.init)
        device.physicalFunction = optionalLink(directory, "physfn", into: &device.problems).flatMap(PCIAddress.init)

        // sriov_numvfs is missing when the device is not SR-IOV capable.
        switch directory.withOptionalContents("sriov_numvfs", Parsed<Int>.decimal) {
        case .success(.value(let count)?): device.sriovNumVFs = count
        case .success(.malformed(let text)?): device.problems.append(malformed(directory, "sriov_numvfs", text))
        case .success(nil): break
        case .failure(let problem): device.problems.append(problem)
        }
        for index in 0..<max(0, device.sriovNumVFs ?? 0) {
            switch directory.linkName("virtfn\(index)") {
            case .success(let name):
                if let vf = PCIAddress(name) { device.virtualFunctions.append(vf) }
            case .failure(let problem): device.problems.append(problem)
            }
        }

        switch directory.readByte("config", offset: 0x0E) {
        case .success(let byte?): device.headerType = byte
        case .success(nil): device.problems.append(malformed(directory, "config", "shorter than 15 bytes"))
        case .failure(let problem): device.problems.append(problem)
        }

        if device.driver?.isVFIO == true {
            device.vfioDevice = VFIODeviceName.find(in: directory)
        }
        return device
    }

    private static func hexAttribute<T: FixedWidthInteger>(
        _ directory: SysfsDirectory, _ name: String, into problems: inout [AttributeProblem]
    ) -> T? {
        switch directory.withContents(name, { Parsed<T>.hex($0) }) {
        case .success(.value(let value)): return value
        case .success(.malformed(let text)):
            problems.append(malformed(directory, name, text))
            return nil
        case .failure(let problem):
            problems.append(problem)
            return nil
        }
    }

    /// A link that may legitimately be absent (ENOENT); other errors are problems.
    private static func optionalLink(
        _ directory: SysfsDirectory, _ name: String, into problems: inout [AttributeProblem]
    ) -> String? {
        switch directory.optionalLinkName(name) {
        case .success(let target): return target
        case .failure(let problem):
            problems.append(problem)
            return nil
        }
    }

    private static func malformed(_ directory: SysfsDirectory, _ name: String, _ text: String)
        -> AttributeProblem
    {
        AttributeProblem(path: directory.path(of: name), errno: Errno(rawValue: EINVAL), reason: "unexpected content: \"\(text)\"")
    }
}

/// Finds the `vfioN` entry of a device's `vfio-dev` directory.
enum VFIODeviceName {
    static func find(in device: SysfsDirectory) -> String? {
        guard case .success(let names) = device.list("vfio-dev") else { return nil }
        return names.first { $0.hasPrefix("vfio") && $0.dropFirst(4).allSatisfy(\.isNumber) && $0.count > 4 }
    }
}
