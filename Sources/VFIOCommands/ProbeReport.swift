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

    /// `type1`, `type1v2`, `iommufd-compat` or `iommufd`.
    let mode: String
    var outcome: Outcome = .ok
    /// Why the mode is unavailable on this kernel.
    var reason: String?
    /// `VFIO_TYPE1v2_IOMMU` (group-based modes).
    var iommuType: String?
    /// The extensions the container answers `VFIO_CHECK_EXTENSION` for (group-based modes).
    var extensions: [String]?
    var iovaRanges: [IOVARange.JSON] = []
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
        self.mode = mode.rawValue
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
