/// What `vfioadm persist override` reports to the udev rule: the driver to hold the device for.
struct PersistOverrideReport: Encodable {
    let driver: String
}
