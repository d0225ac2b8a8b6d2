import VFIOCore
import VFIOSysfs

/// Network interfaces below a PCI function that carry traffic: up, with an
/// address or a route.
struct NetworkUsage {
    let paths: HostPaths
    /// IPv4 addresses by interface name; the live host's come from `getifaddrs(3)`.
    let ipv4Addresses: @Sendable () -> [String: [String]]

    /// The hazards of taking the function whose canonical sysfs directory is `devicePath`.
    ///
    /// The corresponding files are `/sys/class/net/IF/flags`, `/proc/net/if_inet6`,
    /// `/proc/net/route` and `/proc/net/ipv6_route`.
    func hazards(device: PCIAddress, devicePath: String) -> [Hazard] {
        guard case .success(let names) = FileSystem.list(paths.sysfs.netClass) else { return [] }
        let interfaces = names.filter { name in
            realPath(paths.sysfs.netClass + "/" + name).map { isBelow($0, devicePath) } ?? false
        }
        guard !interfaces.isEmpty else { return [] }
        let ipv4 = ipv4Addresses()
        let ipv6 = globalIPv6Addresses()
        let routed = routedInterfaces()
        return interfaces.compactMap { name in
            guard isUp(name) else { return nil }
            let addresses = (ipv4[name] ?? []) + (ipv6[name] ?? [])
            guard !addresses.isEmpty || routed.contains(name) else { return nil }
            let evidence = addresses.isEmpty ? "a route" : addresses.joined(separator: ", ")
            return Hazard(
                .networkInterface, device: device.description,
                "\(device) is network interface \(name), up with \(evidence)",
                fix: "move its traffic elsewhere and take it down (ip link set \(name) down) before claiming, "
                    + "or pass --force")
        }
    }

    private func isUp(_ name: String) -> Bool {
        guard case .success(let text) = FileSystem.readText(paths.sysfs.netClass + "/" + name + "/flags"),
              text.hasPrefix("0x"), let flags = UInt32(text.dropFirst(2), radix: 16)
        else { return false }
        return flags & 0x1 != 0  // IFF_UP
    }

    /// Addresses that are not link-local (scope 0x20), by interface, from `/proc/net/if_inet6`.
    private func globalIPv6Addresses() -> [String: [String]] {
        guard case .success(let text) = FileSystem.readText(paths.sysfs.ipv6Addresses) else { return [:] }
        var byName: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 6, fields[3] != "20", fields[0].count == 32 else { continue }
            byName[String(fields[5]), default: []].append(Self.ipv6(fields[0]) + "/" + String(Int(fields[2], radix: 16) ?? 0))
        }
        return byName
    }

    /// Interfaces with an IPv4 route or an IPv6 route that is neither link-local nor multicast.
    private func routedInterfaces() -> Set<String> {
        var names = Set<String>()
        if case .success(let text) = FileSystem.readText(paths.sysfs.ipv4Routes) {
            for line in text.split(separator: "\n").dropFirst() {
                if let name = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).first { names.insert(String(name)) }
            }
        }
        if case .success(let text) = FileSystem.readText(paths.sysfs.ipv6Routes) {
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count == 10 else { continue }
                let destination = fields[0].lowercased()
                if destination.hasPrefix("fe8") || destination.hasPrefix("fe9") || destination.hasPrefix("fea")
                    || destination.hasPrefix("feb") || destination.hasPrefix("ff") { continue }
                names.insert(String(fields[9]))
            }
        }
        names.remove("lo")
        return names
    }

    /// `20010db8000000000000000000000001` as `2001:0db8:0000:0000:0000:0000:0000:0001`.
    private static func ipv6(_ hex: Substring) -> String {
        var groups: [Substring] = []
        var rest = hex[...]
        while !rest.isEmpty {
            groups.append(rest.prefix(4))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: ":")
    }
}
