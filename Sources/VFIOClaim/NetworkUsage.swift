import LinuxSystem
import VFIOCore
import VFIOSysfs

/// Network interfaces of a PCI function that carry traffic: up with an address
/// or a route, members of a bridge, bond or team, or carrying established TCP
/// connections, directly or through a master or upper device (VLAN, macvlan).
package struct NetworkUsage {
    let paths: HostPaths
    let host: HostTables
    /// IPv4 addresses by interface name; the live host's come from `getifaddrs(3)`.
    let ipv4Addresses: @Sendable () -> [String: [String]]

    /// The function's interfaces and every master and upper device stacked on
    /// them, each with how it relates to the function (`br0 (bridge of eth0)`).
    ///
    /// The corresponding links are `/sys/class/net/IF/master` and `/sys/class/net/IF/upper_*`.
    func carriers(_ interfaces: [String]) -> [String: String] {
        var carriers: [String: String] = [:]
        var queue = interfaces.map { ($0, $0) }
        while let (name, label) = queue.popLast(), carriers.count < 1024 {
            guard carriers[name] == nil else { continue }
            carriers[name] = label
            let directory = paths.root.netClass + "/" + name
            if let master = master(of: name) { queue.append((master, "\(master) (\(kind(of: master)) of \(name))")) }
            for entry in (try? FileSystem.list(directory).get()) ?? [] where entry.hasPrefix("upper_") {
                let upper = String(entry.dropFirst("upper_".count))
                queue.append((upper, "\(upper) (on \(name))"))
            }
        }
        return carriers
    }

    /// The hazards of taking `function`, whose carriers `carriers(function.interfaces)` found.
    ///
    /// The corresponding files are `/sys/class/net/IF/flags`, `/proc/net/if_inet6`,
    /// `/proc/net/route`, `/proc/net/ipv6_route`, `/proc/net/tcp` and `/proc/net/tcp6`.
    func hazards(_ function: FunctionDevices, carriers: [String: String]) -> [Hazard] {
        guard !carriers.isEmpty else { return [] }
        let device = function.address.description
        var hazards: [Hazard] = []
        for name in function.interfaces {
            guard let master = master(of: name) else { continue }
            hazards.append(Hazard(
                .enslavedInterface, device: device,
                "\(device) is network interface \(name), a member of \(kind(of: master)) \(master)",
                fix: "take it out (ip link set \(name) nomaster) and move the traffic of \(master) elsewhere before "
                    + "claiming, or pass --force",
                evidence: [.init(paths.root.netClass + "/\(name)/master", master)]))
        }
        let ipv4 = ipv4Addresses()
        let ipv6 = globalIPv6Addresses()
        let routed = host.routes.routedInterfaces
        var local: [IPAddress: String] = [:]
        for name in carriers.keys.sorted() {
            let label = carriers[name] ?? name
            let addresses = (ipv4[name] ?? []) + (ipv6[name] ?? [])
            for text in addresses { if let address = IPAddress(text: text.prefix { $0 != "/" }) { local[address] = label } }
            guard isUp(name), !addresses.isEmpty || routed.contains(name) else { continue }
            let evidence = addresses.isEmpty ? "a route" : addresses.joined(separator: ", ")
            let what = name == label ? "is network interface \(name)" : "carries \(label)"
            hazards.append(Hazard(
                .networkInterface, device: device, "\(device) \(what), up with \(evidence)",
                fix: "move its traffic elsewhere and take it down (ip link set \(name) down) before claiming, "
                    + "or pass --force",
                evidence: [.init(paths.root.netClass + "/\(name)/flags", "up")]
                    + (addresses.isEmpty ? [.init(paths.root.ipv4Routes, name)] : [])))
        }
        let sessions = host.establishedTCP.filter { local[$0.local.unmapped] != nil }
        if let first = sessions.first, let label = local[first.local.unmapped] {
            let shown = sessions.prefix(3).map(\.description).joined(separator: ", ")
            hazards.append(Hazard(
                .tcpSession, device: device,
                "\(device) carries \(sessions.count) established TCP connection\(sessions.count == 1 ? "" : "s") "
                    + "over \(label): \(shown)\(sessions.count > 3 ? ", ..." : "")",
                fix: "close them, or reach this host over another interface (an SSH session over it would hang), "
                    + "or pass --force",
                evidence: [.init(first.local.isIPv4 && first.local == first.local.unmapped
                                     ? paths.root.tcp4Sockets : paths.root.tcp6Sockets, first.description)]))
        }
        return hazards
    }

    /// The master an interface is enslaved to, from its `master` link.
    private func master(of name: String) -> String? {
        try? FileSystem.linkName(paths.root.netClass + "/" + name + "/master").get()
    }

    /// `bridge`, `bond` or `team` (the master's `bridge` or `bonding` folder), else `master`.
    private func kind(of master: String) -> String {
        let directory = paths.root.netClass + "/" + master
        if FileSystem.exists(directory + "/bridge") { return "bridge" }
        if FileSystem.exists(directory + "/bonding") { return "bond" }
        return "master"
    }

    private func isUp(_ name: String) -> Bool {
        guard case .success(let text) = FileSystem.readText(paths.root.netClass + "/" + name + "/flags"),
              text.hasPrefix("0x"), let flags = UInt32(text.dropFirst(2), radix: 16)
        else { return false }
        return flags & 0x1 != 0  // IFF_UP
    }

    /// Addresses that are not link-local (scope 0x20), by interface, from `/proc/net/if_inet6`.
    private func globalIPv6Addresses() -> [String: [String]] {
        guard case .success(let text) = FileSystem.readText(paths.root.ipv6Addresses) else { return [:] }
        return Self.globalIPv6Addresses(parsing: text)
    }

    /// The `if_inet6` lines (address, index, prefix length, scope, flags, name) that are not link-local.
    package static func globalIPv6Addresses(parsing text: String) -> [String: [String]] {
        var byName: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 6, fields[3] != "20", fields[0].count == 32 else { continue }
            byName[String(fields[5]), default: []].append(Self.ipv6(fields[0]) + "/" + String(Int(fields[2], radix: 16) ?? 0))
        }
        return byName
    }

    /// `20010db8000000000000000000000001` as `2001:0db8:0000:0000:0000:0000:0000:0001`.
    static func ipv6(_ hex: Substring) -> String {
        var groups: [Substring] = []
        var rest = hex[...]
        while !rest.isEmpty {
            groups.append(rest.prefix(4))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: ":")
    }
}
