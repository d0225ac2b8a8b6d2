extension PersistInstallReport {
    /// Each file written, then how to reload them.
    func render() -> String {
        files.map { "wrote \($0)" }.joined(separator: "\n")
            + (installed ? "\nreload them: udevadm control --reload; systemctl daemon-reload" : "")
    }
}
