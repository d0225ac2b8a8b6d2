import LinuxSystem

/// The kernel's modules: those loaded or built in with parameters in sysfs,
/// and those a release can load in `/lib/modules`.
extension HostRoot {
    /// `/sys/module`
    public var modules: String { sys + "/module" }
    /// `/sys/module/NAME`, present for a loaded module and for a built-in one
    /// with parameters.
    public func module(_ name: String) -> String { modules + "/" + name }
    /// `/sys/module/MODULE/parameters/NAME`
    public func moduleParameter(_ module: String, _ name: String) -> String {
        self.module(module) + "/parameters/" + name
    }

    /// `/lib/modules/RELEASE`, where `modules.dep` and `modules.builtin` list
    /// what the kernel of that release can load or has built in.
    public func moduleTree(release: String) -> String { libModules + "/" + release }
}
