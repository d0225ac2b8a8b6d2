import VFIOCore
import VFIOHost
import VFIOSysfs

/// What `probe` found: one result per mode tried on one device.
struct ProbeReport: Encodable, Sendable {
    let schemaVersion = 1
    let device: PCIAddress
    let group: IOMMUGroupID
    /// Bytes mapped in each mode.
    let size: UInt64
    /// Every mode requested worked.
    let ok: Bool
    let modes: [ModeResult]

    /// 0 when every mode worked; else 77 if a node was not accessible, 1 if a
    /// call failed, 69 if a mode is unavailable on this kernel.
    var status: ExitStatus {
        if ok { return .success }
        let failed = modes.filter { $0.outcome == .failed }
        if failed.contains(where: { $0.error?.permission == true }) { return .permission }
        if !failed.isEmpty { return .failure }
        return .unavailable
    }
}

/// One mode's outcome: the IOMMU context it reported and each step with its time.
struct ModeResult: Encodable, Sendable {
    enum Outcome: String, Encodable, Sendable {
        case ok, failed, unavailable
    }

    let mode: Mode
    var outcome: Outcome = .ok
    /// Why the mode is unavailable on this kernel.
    var reason: String?
    /// `VFIO_TYPE1v2_IOMMU` (group-based modes).
    var iommuType: String?
    /// The extensions the container answers `VFIO_CHECK_EXTENSION` for (group-based modes).
    var extensions: [String]?
    var iovaRanges: [IOVARange] = []
    /// Bitmap of IOMMU page sizes as `0x` hex (group-based modes).
    var pageSizes: String?
    /// The same bitmap as sizes, `["4 KiB", "2 MiB"]`.
    var pageSizeList: [String]?
    var alignment: UInt64?
    /// Mappings left before `dma_entry_limit` (4294967295 on iommufd's compat container).
    var dmaAvailable: UInt32?
    var hardware: HardwareReport?
    var mapping: MappingReport?
    var steps: [ProbeStep] = []
    var error: ProbeError?
    var problems: [String] = []

    init(mode: Mode) {
        self.mode = mode
    }
}

/// One timed step, measured with the monotonic clock.
struct ProbeStep: Encodable, Sendable {
    /// `open`, `describe`, `allocate`, `map`, `verify`, `unmap`, `close`.
    let step: String
    let nanoseconds: UInt64
    let ok: Bool
    let detail: String?
}

/// The buffer mapped: where it landed in the IOVA space.
struct MappingReport: Encodable, Sendable {
    /// `0x`-prefixed hex.
    let iova: String
    let length: UInt64
}

/// The IOMMU hardware behind the device (`iommufd` mode, `IOMMU_GET_HW_INFO`).
struct HardwareReport: Encodable, Sendable {
    /// `intel-vtd`, `arm-smmuv3`, `none`, …
    let type: String
    let capabilities: [String]
    let maxPASIDLog2: UInt8
    /// VT-d: the capability and extended capability registers, hex, and the features they set.
    let cap: String?
    let ecap: String?
    let features: [String]?
    /// Other IOMMUs: the driver's data, hex.
    let raw: String?

    init(_ info: HardwareInfo) {
        type = info.typeName
        var capabilities: [String] = []
        if info.capabilities.contains(.dirtyTracking) { capabilities.append("dirty-tracking") }
        if info.capabilities.contains(.pasidExec) { capabilities.append("pasid-exec") }
        if info.capabilities.contains(.pasidPriv) { capabilities.append("pasid-priv") }
        self.capabilities = capabilities
        maxPASIDLog2 = info.maxPASIDLog2
        if let vtd = info.vtd {
            cap = ByteFormat.hex(vtd.cap)
            ecap = ByteFormat.hex(vtd.ecap)
            features = vtd.features
            raw = nil
        } else {
            cap = nil
            ecap = nil
            features = nil
            raw = info.data.isEmpty ? nil : info.data.map { zeroPaddedHex($0, 2) }.joined()
        }
    }
}

/// A failed call, as `VFIOError` renders it, with ErrorAdvice's explanation.
struct ProbeError: Encodable, Sendable {
    let operation: String
    let path: String
    let errno: Int32
    let errnoName: String
    /// `VFIO_GROUP_SET_CONTAINER on /dev/vfio/12: Operation not permitted (EPERM)`
    let message: String
    let advice: String?
    /// EACCES or EPERM opening a node: exit status 77.
    let permission: Bool

    init(_ error: VFIOError, advice: String?) {
        operation = error.operation.description
        path = error.path
        errno = error.errno.rawValue
        errnoName = error.errno.name
        message = error.description
        self.advice = advice
        permission = error.operation == .open && (error.errno.name == "EACCES" || error.errno.name == "EPERM")
    }

    enum CodingKeys: String, CodingKey { case operation, path, errno, errnoName, message, advice }
}

extension ProbeReport {
    /// The report as text, one block per mode:
    ///
    ///     0000:01:00.0 (group 9): 1 MiB buffer
    ///     type1v2: ok
    ///       iommu        VFIO_TYPE1v2_IOMMU
    ///       ...
    func render() -> String {
        var lines = ["\(device) (group \(group)): \(ByteFormat.bytes(size)) buffer, "
            + (ok ? "every mode works" : "not every mode works")]
        for result in modes {
            lines.append("\(result.mode): \(result.outcome.rawValue)")
            lines += result.renderBody()
        }
        return lines.joined(separator: "\n")
    }
}

extension ModeResult {
    func renderBody() -> [String] {
        var lines: [String] = []
        func field(_ name: String, _ value: String) { lines.append("  " + TextLayout.column(name, 12) + " " + value) }
        if let reason { field("reason", reason) }
        if let iommuType { field("iommu", iommuType) }
        if let extensions, !extensions.isEmpty { field("extensions", extensions.joined(separator: ", ")) }
        if let hardware {
            field("hardware", hardware.type + (hardware.capabilities.isEmpty ? "" : " (" + hardware.capabilities
                .joined(separator: ", ") + ")"))
            if let cap = hardware.cap, let ecap = hardware.ecap { field("vt-d", "cap \(cap) ecap \(ecap)") }
            if let features = hardware.features, !features.isEmpty { field("", features.joined(separator: " ")) }
            if let raw = hardware.raw { field("", "data " + raw) }
        }
        for (index, range) in iovaRanges.enumerated() {
            let size = range.length.map(ByteFormat.bytes) ?? "16 EiB"
            field(index == 0 ? "iova ranges" : "", "\(range)  \(size)")
        }
        if outcome != .unavailable, iovaRanges.isEmpty, steps.count > 1 { field("iova ranges", "none reported") }
        if let pageSizeList, let pageSizes { field("page sizes", pageSizeList.joined(separator: ", ") + "  (\(pageSizes))") }
        if let alignment { field("alignment", ByteFormat.bytes(alignment)) }
        if let dmaAvailable {
            field("dma entries", dmaAvailable == UInt32.max ? "unlimited (\(dmaAvailable))" : "\(dmaAvailable) available")
        }
        if !steps.isEmpty {
            lines.append("  steps")
            for step in steps {
                let time = ByteFormat.milliseconds(step.nanoseconds)
                let padded = String(repeating: " ", count: max(0, 11 - time.count)) + time
                lines.append("    " + TextLayout.column(step.step, 9) + padded + (step.ok ? "  " : "  FAILED  ")
                    + (step.detail ?? ""))
            }
        }
        if let error {
            lines.append("  error: " + error.message)
            if let advice = error.advice { lines.append("  advice: " + advice) }
        }
        lines += problems.map { "  problem: " + $0 }
        return lines.map { $0.hasSuffix(" ") ? String($0.reversed().drop(while: { $0 == " " }).reversed()) : $0 }
    }
}
