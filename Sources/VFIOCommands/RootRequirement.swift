import Glibc

/// Claims and releases write to sysfs: only root may.
enum RootRequirement {
    static func check(_ command: String) throws(CommandFailure) {
        guard geteuid() != 0 else { return }
        throw CommandFailure(.permission, code: "not-root",
                             "\(command) writes to /sys/bus/pci and the state directory: run it as root"
                                 + (command == "claim" ? " (claim --dry-run shows the plan without root)" : ""))
    }
}
