import Testing

/// Every integration suite that binds, unbinds or opens the guest's devices
/// nests in this one, so no two of them run at once: Swift Testing runs
/// separate suites in parallel, and the devices are shared.
@Suite(.serialized, Guest.enabled) enum GuestDevices {}
