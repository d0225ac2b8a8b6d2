import Foundation
import LinuxSystem
import Testing
import VFIOCore
import VFIOHost
import VFIOSysfs

/// Runs `body` and returns the VFIOError it threw; records an issue when it does not throw.
func expectVFIOError(_ operation: VFIOOperation, _ errno: Int32, _ comment: Comment? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws(VFIOError) -> Void) -> VFIOError?
{
    do {
        try body()
        Issue.record("expected \(operation) to fail with \(ErrnoNameLookup.name(errno)); it succeeded. \(comment ?? "")",
                     sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.operation == operation, "\(error)", sourceLocation: sourceLocation)
        #expect(error.errno.rawValue == errno, "\(error)", sourceLocation: sourceLocation)
        return error
    }
}

enum ErrnoNameLookup {
    static func name(_ errno: Int32) -> String { Errno(rawValue: errno).name }
}

extension GuestDevices {
    /// The kernel's refusals, each asserted by errno, call and message, in every mode that has them.
    @Suite struct UAPINegativeTests {
        static let page = 4096

        /// The first IOVA past the first usable range: a reserved window (the MSI doorbells) or past the aperture.
        static func iovaOutsideRanges(_ ranges: [IOVARange]) -> UInt64? {
            guard let first = ranges.first, first.last < UInt64.max else { return nil }
            let candidate = first.last + 1
            return ranges.contains { $0.start <= candidate && candidate <= $0.last } ? nil : candidate
        }

        @Test(.enabled(if: Guest.hasIOMMU), arguments: Mode.allCases)
        func mapOutsideTheIOVARangesIsEINVAL(mode: Mode) throws {
            try LoneEdu.withVFIO {
                let session = try DMASession.open(LoneEdu.address, mode: mode)
                let ranges = try session.iovaRanges()
                let outside = try #require(Self.iovaOutsideRanges(ranges), "ranges \(ranges)")
                let buffer = try DMABuffer(length: Self.page)
                let operation: VFIOOperation = mode == .iommufd ? .ioasMap : .iommuMapDMA
                let error = expectVFIOError(operation, EINVAL, "IOVA 0x\(String(outside, radix: 16))") {
                    () throws(VFIOError) in try session.map(buffer, iova: outside)
                }
                let advice = error.flatMap { ErrorAdvice.explain($0) } ?? ""
                #expect(advice.contains("outside the usable IOVA ranges"), "\(advice)")
                #expect(error?.description.contains("Invalid argument (EINVAL)") == true)
                print("[\(Guest.topology ?? "?")] \(mode): ranges \(ranges); map at 0x\(String(outside, radix: 16)): "
                    + "\(error.map(String.init(describing:)) ?? "no error")")
            }
        }

        @Test(.enabled(if: Guest.hasIOMMU), arguments: Mode.allCases)
        func anOverlappingMapIsEEXIST(mode: Mode) throws {
            try LoneEdu.withVFIO {
                let session = try DMASession.open(LoneEdu.address, mode: mode)
                let first = try DMABuffer(length: 2 * Self.page)
                let second = try DMABuffer(length: 2 * Self.page)
                try session.map(first, iova: 0x10_0000)
                let operation: VFIOOperation = mode == .iommufd ? .ioasMap : .iommuMapDMA
                let error = expectVFIOError(operation, EEXIST) { () throws(VFIOError) in
                    try session.map(second, iova: 0x10_0000 + UInt64(Self.page))
                }
                #expect(error?.description.contains("File exists (EEXIST)") == true)
                #expect(error.flatMap { ErrorAdvice.explain($0) }?.contains("overlaps an existing mapping") == true)
            }
        }

        /// type1 and iommufd's compat container answer an unmap of nothing with success and 0 bytes
        /// unmapped; IOMMU_IOAS_UNMAP with ENOENT.
        @Test(.enabled(if: Guest.hasIOMMU), arguments: Mode.allCases)
        func unmappingWhatIsNotMapped(mode: Mode) throws {
            try LoneEdu.withVFIO {
                let session = try DMASession.open(LoneEdu.address, mode: mode)
                switch mode {
                case .type1, .type1v2, .iommufdCompat:
                    #expect(try session.unmap(iova: 0x30_0000, length: UInt64(Self.page)) == 0)
                case .iommufd:
                    let error = expectVFIOError(.ioasUnmap, ENOENT) { () throws(VFIOError) in
                        try session.unmap(iova: 0x30_0000, length: UInt64(Self.page))
                    }
                    #expect(error.flatMap { ErrorAdvice.explain($0) }?.contains("Nothing is mapped there") == true)
                }
            }
        }

        /// Root has CAP_IPC_LOCK, which skips the memlock check: the child drops it from its
        /// bounding set (setpriv) and gets a 64 KiB RLIMIT_MEMLOCK (prlimit) before exec'ing vfioadm.
        @Test(.enabled(if: Guest.hasIOMMU), arguments: Mode.allCases)
        func aMemlockLimitTooLowIsENOMEMNamingTheLimit(mode: Mode) throws {
            try LoneEdu.withVFIO {
                let result = try Subprocess.run("/usr/bin/setpriv", [
                    "--bounding-set", "-ipc_lock", "--inh-caps", "-ipc_lock", "--",
                    "/usr/bin/prlimit", "--memlock=65536:65536", "--",
                    VFIOAdmBinary.path, "probe", LoneEdu.address.description, "--mode", mode.rawValue,
                    "--size", "1M", "--json",
                ])
                #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
                let report = try #require(
                    try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
                let modeResult = try #require((report["modes"] as? [[String: Any]])?.first)
                let error = try #require(modeResult["error"] as? [String: Any], "\(modeResult)")
                #expect(error["errno"] as? Int == Int(ENOMEM))
                #expect(error["errnoName"] as? String == "ENOMEM")
                #expect(error["operation"] as? String == (mode == .iommufd ? "IOMMU_IOAS_MAP" : "VFIO_IOMMU_MAP_DMA"))
                let advice = error["advice"] as? String ?? ""
                #expect(advice.contains("RLIMIT_MEMLOCK (soft 64 KiB, hard 64 KiB)"), "\(advice)")
                #expect(advice.contains("with this 1 MiB mapping"), "\(advice)")
            }
        }

        /// The edu that shares a group with the NVMe, bound to vfio-pci while the NVMe keeps its driver.
        /// Only `intel` has that group: under `amd` the NVMe never binds (QEMU 7.2's AMD-Vi loses DMA off
        /// bus 0) and virtio-iommu gives nothing behind the PCIe-to-PCI bridge a group.
        @Test(.enabled(if: Guest.topology == "intel")) func openingANonViableGroupIsEPERMNamingTheSibling() throws {
            // The edu behind the PCIe-to-PCI bridge (devices.inc).
            let edu = try #require(PCIAddress("0000:03:01.0"))
            let nvme = try #require(Guest.nvme)
            try #require(Guest.reader.device(nvme.address).driver?.rawValue == "nvme", "the NVMe must be on its driver")
            try SysfsWrite.bindVFIO(edu)
            defer { try? SysfsWrite.release(edu) }
            let group = try #require(Guest.reader.device(edu).iommuGroup)
            try #require(Guest.reader.device(nvme.address).iommuGroup == group, "the edu and the NVMe share a group")
            let sibling = "\(nvme.address) is bound to nvme"

            let cdev = try #require(try DeviceCdev.locate(edu))
            let device = try VFIODevice(cdev: cdev.path)
            do {
                let node = try VFIOGroup(group)
                #expect(try node.status().contains(.viable) == false)
                let container = try VFIOContainer()
                let legacy = expectVFIOError(.groupSetContainer, EPERM) { () throws(VFIOError) in
                    try node.setContainer(container)
                }
                #expect(legacy?.description
                    == "VFIO_GROUP_SET_CONTAINER on /dev/vfio/\(group): Operation not permitted (EPERM)")
                #expect(legacy.flatMap { ErrorAdvice.explain($0) }?.contains(sibling) == true)

                // The compat route takes ownership only at GET_DEVICE_FD.
                let iommufd = try IOMMUFD()
                try node.setContainer(iommufd)
                let compat = expectVFIOError(.groupGetDeviceFD, EPERM) { () throws(VFIOError) in
                    _ = try node.openDevice(edu)
                }
                #expect(compat.flatMap { ErrorAdvice.explain($0) }?.contains(sibling) == true)
                try node.unsetContainer()

                let busy = expectVFIOError(.deviceBindIOMMUFD, EBUSY, "the group node is open") {
                    () throws(VFIOError) in _ = try device.bindIOMMUFD(try IOMMUFD())
                }
                #expect(busy?.path == cdev.path)
            }
            let cdevBind = expectVFIOError(.deviceBindIOMMUFD, EPERM) { () throws(VFIOError) in
                _ = try device.bindIOMMUFD(try IOMMUFD())
            }
            #expect(cdevBind.flatMap { ErrorAdvice.explain($0, context: DiagnosisContext(device: edu)) }?
                .contains(sibling) == true)

            let probe = try VFIOAdmBinary.run(["probe", edu.description])
            #expect(probe.status == 2)
            #expect(probe.stderr.contains("not-viable, refusing to open it"), "\(probe.stderr)")
            #expect(probe.stderr.contains("0000:03:02.0 is bound to nvme, which does kernel DMA"))
        }

        /// The multifunction edus share a group: once one is bound to an iommufd, the other cannot be
        /// bound to a second one, nor can the group node be opened.
        @Test(.enabled(if: Guest.hasIOMMU)) func bindingIntoAGroupHeldByAnotherIOMMUFDIsEPERM() throws {
            let functions = ["0000:00:05.0", "0000:00:05.1"].compactMap(PCIAddress.init)
            for function in functions { try SysfsWrite.bindVFIO(function) }
            defer { for function in functions { try? SysfsWrite.release(function) } }
            let group = try #require(Guest.reader.device(functions[0]).iommuGroup)
            try #require(Guest.reader.device(functions[1]).iommuGroup == group, "05.0 and 05.1 share a group")

            try UnsafeInterrupts.allowedIfNeeded {
                let holder = try DMASession.open(functions[0], mode: .iommufd)
                let other = try VFIODevice(cdev: try #require(try DeviceCdev.locate(functions[1])).path)
                let error = expectVFIOError(.deviceBindIOMMUFD, EPERM) { () throws(VFIOError) in
                    _ = try other.bindIOMMUFD(try IOMMUFD())
                }
                let advice = error.flatMap { ErrorAdvice.explain($0, context: DiagnosisContext(device: functions[1])) }
                #expect(advice?.contains("another user owns the group") == true, "\(advice ?? "")")
                #expect(advice?.contains("pid \(getpid())") == true, "names this process as the holder: \(advice ?? "")")

                _ = expectVFIOError(.open, EBUSY, "a device of the group is open through its cdev") {
                    () throws(VFIOError) in _ = try VFIOGroup(group)
                }
                withExtendedLifetime(holder) {}
            }
        }

        /// Without MSI isolation (virtio-iommu on x86) both type1 and iommufd refuse the device
        /// until allow_unsafe_interrupts is set, and the advice names the knob.
        @Test(.enabled(if: UnsafeInterrupts.needed)) func withoutInterruptRemappingTheKernelRefusesAndSaysWhy() throws {
            try SysfsWrite.bindVFIO(LoneEdu.address)
            defer { try? SysfsWrite.release(LoneEdu.address) }
            let type1 = expectVFIOError(.setIOMMU, EPERM) { () throws(VFIOError) in
                _ = try DMASession.open(LoneEdu.address, mode: .type1v2)
            }
            #expect(type1?.description == "VFIO_SET_IOMMU on /dev/vfio/vfio: Operation not permitted (EPERM)")
            #expect(type1.flatMap { ErrorAdvice.explain($0) }?.contains(
                "/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts to Y (now N)") == true)
            let bind = expectVFIOError(.deviceBindIOMMUFD, EPERM) { () throws(VFIOError) in
                _ = try DMASession.open(LoneEdu.address, mode: .iommufd)
            }
            let advice = bind.flatMap { ErrorAdvice.explain($0, context: DiagnosisContext(device: LoneEdu.address)) }
            #expect(advice?.contains("/sys/module/iommufd/parameters/allow_unsafe_interrupts is N") == true,
                    "\(advice ?? "")")
            let probe = try VFIOAdmBinary.run(["probe", LoneEdu.address.description, "--mode", "type1v2"])
            #expect(probe.status == 1)
            #expect(probe.stdout.contains("error: VFIO_SET_IOMMU on /dev/vfio/vfio: Operation not permitted (EPERM)"))
            #expect(probe.stdout.contains("No interrupt remapping support"), "\(probe.stdout)")
        }

        @Test(.enabled(if: Guest.topology == "noiommu")) func aNoIOMMUGroupCannotMap() throws {
            try LoneEdu.withVFIO {
                let group = try #require(Guest.reader.device(LoneEdu.address).iommuGroup)
                let node = try #require(HostRoot().existingGroupNode(group))
                #expect(node.noIOMMU)
                #expect(node.path == "/dev/vfio/noiommu-\(group)")

                let error = expectVFIOError(.open, EOPNOTSUPP) { () throws(VFIOError) in
                    _ = try DMASession.open(LoneEdu.address, mode: .type1v2)
                }
                #expect(error?.reason?.contains("no-IOMMU group") == true)

                // What the kernel itself says: only the no-IOMMU backend attaches, and it maps nothing.
                let groupNode = try VFIOGroup(group, noIOMMU: true)
                let container = try VFIOContainer()
                try groupNode.setContainer(container)
                _ = expectVFIOError(.setIOMMU, ENODEV) { () throws(VFIOError) in try container.setIOMMU(.type1v2) }
                try container.setIOMMU(.noIOMMU)
                let buffer = try DMABuffer(length: Self.page)
                let map = expectVFIOError(.iommuMapDMA, ENOTTY) { () throws(VFIOError) in
                    try container.mapDMA(vaddr: buffer.address, iova: 0x10_0000, size: UInt64(Self.page))
                }
                print("[noiommu] map on a no-IOMMU container: \(map.map(String.init(describing:)) ?? "succeeded")")

                let probe = try VFIOAdmBinary.run(["probe", LoneEdu.address.description])
                #expect(probe.status == 69)
                #expect(probe.stderr.contains("is a no-IOMMU group (/dev/vfio/noiommu-\(group))"), "\(probe.stderr)")
            }
        }
    }
}
