import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The kernel's command line as booted, split into parameters the way the
/// kernel splits it: on spaces outside double quotes, `name=value` or a bare
/// `name`. A later parameter with the same name wins.
///
/// The corresponding file is `/proc/cmdline`.
public struct KernelCommandLine: Hashable, Sendable {
    public struct Parameter: Hashable, Sendable {
        public let name: String
        public let value: String?

        /// `name=value` or `name`.
        public var text: String { value.map { name + "=" + $0 } ?? name }
    }

    public let parameters: [Parameter]

    public init(_ text: String) {
        var words: [String] = []
        var word = ""
        var quoted = false
        for character in text {
            if character == "\"" {
                quoted.toggle()
            } else if !quoted, character == " " || character == "\n" || character == "\t" {
                if !word.isEmpty { words.append(word) }
                word = ""
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { words.append(word) }
        parameters = words.map { word in
            guard let equals = word.firstIndex(of: "=") else { return Parameter(name: word, value: nil) }
            return Parameter(name: String(word[..<equals]), value: String(word[word.index(after: equals)...]))
        }
    }

    /// Reads `/proc/cmdline` under the root.
    public static func read(_ root: HostRoot) -> Result<KernelCommandLine, Errno> {
        FileSystem.readText(root.commandLine).map(KernelCommandLine.init)
    }

    /// The last parameter called `name` (`-` and `_` are the same to the kernel).
    public func last(_ name: String) -> Parameter? {
        let wanted = Self.normalized(name)
        return parameters.last { Self.normalized($0.name) == wanted }
    }

    /// The parameters that steer the IOMMU, interrupt remapping or VFIO's
    /// unsafe modes, in command-line order.
    public var iommuParameters: [Parameter] {
        let names: Set<String> = [
            "intel_iommu", "amd_iommu", "iommu", "iommu.passthrough", "iommu.strict", "intremap",
            "vfio.enable_unsafe_noiommu_mode", "vfio_iommu_type1.allow_unsafe_interrupts",
            "iommufd.allow_unsafe_interrupts",
        ]
        return parameters.filter { names.contains(Self.normalized($0.name)) }
    }

    /// The comma-separated options of every `name` parameter, in order, as the
    /// kernel applies them: `intel_iommu=on,sm_on intel_iommu=off` gives
    /// `on`, `sm_on`, `off`.
    public func options(_ name: String) -> [String] {
        let wanted = Self.normalized(name)
        return parameters.filter { Self.normalized($0.name) == wanted }
            .flatMap { ($0.value ?? "").split(separator: ",").map(String.init) }
    }

    private static func normalized(_ name: String) -> String {
        String(name.map { $0 == "-" ? "_" : $0 })
    }
}
