import LinuxSystem

/// What decides whether a device can be reset, powered and placed well for a
/// VM: the kernel's reset methods, its power state, its NUMA node and CPUs,
/// and its PCIe link. Read only for `info` and `list --wide`: these are nine
/// more files per device.
public struct DeviceLifecycle: Hashable, Sendable {
    /// One reset method the kernel will try, in its order.
    public struct ResetMethod: Hashable, Sendable {
        public let name: String
        public let meaning: String

        /// A method by its `reset_method` name, with what it does.
        public init(_ name: String) {
            self.name = name
            meaning = DeviceLifecycle.meanings[name] ?? "a method this vfioadm does not know"
        }
    }

    /// The PCIe link as trained against what both ends can do.
    public struct Link: Hashable, Sendable {
        public let currentSpeed: String
        public let currentWidth: Int?
        public let maxSpeed: String
        public let maxWidth: Int?
        /// Trained slower or narrower than the device can.
        public let degraded: Bool

        /// A link from the four sysfs values; degraded when it trained slower or narrower than its maximum.
        public init(currentSpeed: String, currentWidth: Int?, maxSpeed: String, maxWidth: Int?) {
            self.currentSpeed = currentSpeed
            self.currentWidth = currentWidth
            self.maxSpeed = maxSpeed
            self.maxWidth = maxWidth
            let current = DeviceLifecycle.gigatransfers(currentSpeed)
            let slower = current.map { $0 < (DeviceLifecycle.gigatransfers(maxSpeed) ?? 0) } ?? false
            let narrower = (currentWidth ?? 0) > 0 && (currentWidth ?? 0) < (maxWidth ?? 0)
            degraded = slower || narrower
        }
    }

    /// `reset_method` in order; nil when the file is missing (no reset, or a kernel before 5.15).
    public let resetMethods: [ResetMethod]?
    /// The functions a secondary bus reset would reset too (the others on the device's bus), when `bus` is a method.
    public let busResetAlsoResets: [PCIAddress]
    public let d3coldAllowed: Bool?
    /// `power_state`: D0, D1, D2, D3hot, D3cold, unknown.
    public let powerState: String?
    /// `power/runtime_status`: active, suspended...
    public let runtimeStatus: String?
    /// `numa_node`; nil when the kernel does not know (-1).
    public let numaNode: Int?
    /// `local_cpulist`
    public let localCPUs: String?
    public let link: Link?

    public init(resetMethods: [ResetMethod]?, busResetAlsoResets: [PCIAddress], d3coldAllowed: Bool?, powerState: String?,
                runtimeStatus: String?, numaNode: Int?, localCPUs: String?, link: Link?) {
        self.resetMethods = resetMethods
        self.busResetAlsoResets = busResetAlsoResets
        self.d3coldAllowed = d3coldAllowed
        self.powerState = powerState
        self.runtimeStatus = runtimeStatus
        self.numaNode = numaNode
        self.localCPUs = localCPUs
        self.link = link
    }

    /// Whether the only reset is a bus reset that also resets devices outside `group`.
    public func onlyBusResetBeyond(_ group: Set<PCIAddress>) -> Bool {
        guard let methods = resetMethods?.map(\.name), methods.contains("bus") || methods.contains("cxl_bus") else {
            return false
        }
        let own = methods.filter { $0 != "bus" && $0 != "cxl_bus" }
        return own.isEmpty && busResetAlsoResets.contains { !group.contains($0) }
    }

    static let meanings: [String: String] = [
        "device_specific": "a reset the kernel knows for this device (a quirk)",
        "acpi": "the firmware's _RST method",
        "flr": "Function Level Reset (PCIe capability): resets this function alone",
        "af_flr": "Function Level Reset (Advanced Features capability): resets this function alone",
        "pm": "PM reset: D3hot and back to D0, when the device does not set No_Soft_Reset",
        "bus": "secondary bus reset of the parent bridge: resets every function below it",
        "cxl_bus": "CXL bus reset: resets every function below the port",
    ]

    /// The corresponding files are the device's `reset_method`, `d3cold_allowed`,
    /// `power_state`, `power/runtime_status`, `numa_node`, `local_cpulist` and
    /// `{current,max}_link_{speed,width}`, and the bus's other functions.
    public static func read(_ address: PCIAddress, reader: SysfsReader) -> DeviceLifecycle {
        let directory = reader.root.device(address)
        func text(_ name: String) -> String? { try? AttributeFile.read(directory + "/" + name).get() }
        let methods = text("reset_method").map { line in
            line.split(separator: " ").map { ResetMethod(String($0)) }
        }
        var siblings: [PCIAddress] = []
        if methods?.contains(where: { $0.name == "bus" || $0.name == "cxl_bus" }) == true {
            siblings = ((try? reader.deviceAddresses().get()) ?? [])
                .filter { $0.domain == address.domain && $0.bus == address.bus && $0 != address }
        }
        let node = text("numa_node").flatMap { Int($0) }
        var link: Link?
        if let currentSpeed = text("current_link_speed"), let maxSpeed = text("max_link_speed") {
            link = Link(currentSpeed: currentSpeed, currentWidth: text("current_link_width").flatMap { Int($0) },
                        maxSpeed: maxSpeed, maxWidth: text("max_link_width").flatMap { Int($0) })
        }
        return DeviceLifecycle(
            resetMethods: methods, busResetAlsoResets: siblings,
            d3coldAllowed: text("d3cold_allowed").map { $0 == "1" }, powerState: text("power_state"),
            runtimeStatus: text("power/runtime_status"), numaNode: node.flatMap { $0 < 0 ? nil : $0 },
            localCPUs: text("local_cpulist"), link: link)
    }

    /// `8.0 GT/s PCIe` as 8.0; nil for `Unknown`.
    static func gigatransfers(_ speed: String) -> Double? {
        speed.split(separator: " ").first.flatMap { Double($0) }
    }
}
