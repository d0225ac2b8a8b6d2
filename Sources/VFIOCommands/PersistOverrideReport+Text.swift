extension PersistOverrideReport {
    /// The driver's name alone, as the udev rule reads it.
    func render() -> String { driver }
}
