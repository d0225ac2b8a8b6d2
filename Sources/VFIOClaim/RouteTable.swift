import LinuxSystem
import VFIOCore
import VFIOSysfs

/// The kernel's IPv4 and IPv6 routes, for finding the interface that carries
/// traffic to an address.
package struct RouteTable {
    struct Route: Hashable {
        let interface: String
        let destination: IPAddress
        let prefixLength: Int
    }

    let routes: [Route]

    init(routes: [Route]) {
        self.routes = routes
    }

    /// The corresponding files are `/proc/net/route` (Iface, Destination and
    /// Mask as native-endian hex words) and `/proc/net/ipv6_route` (destination,
    /// prefix length, ..., interface last).
    init(root: HostRoot) {
        func table(_ path: String) -> String { (try? FileSystem.readText(path, limit: 16 << 20).get()) ?? "" }
        self.init(ipv4: table(root.ipv4Routes), ipv6: table(root.ipv6Routes))
    }

    /// Parses the text of both files; a line that does not parse is skipped.
    package init(ipv4: String, ipv6: String) {
        var routes: [Route] = []
        for line in ipv4.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count >= 8, let destination = IPAddress(hex: fields[1], wordsInHostOrder: true),
                  let mask = IPAddress(hex: fields[7], wordsInHostOrder: true)
            else {
                // A line with only the interface still counts as a route of it.
                if let name = fields.first, fields.count >= 2, let destination = IPAddress(hex: fields[1], wordsInHostOrder: true) {
                    routes.append(Route(interface: String(name), destination: destination, prefixLength: 32))
                }
                continue
            }
            let length = mask.bytes.reduce(0) { $0 + $1.nonzeroBitCount }
            routes.append(Route(interface: String(fields[0]), destination: destination, prefixLength: length))
        }
        for line in ipv6.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 10, let destination = IPAddress(hex: fields[0], wordsInHostOrder: false),
                  let length = Int(fields[1], radix: 16)
            else { continue }
            routes.append(Route(interface: String(fields[9]), destination: destination, prefixLength: length))
        }
        self.routes = routes
    }

    /// The interface of the longest matching route to `address`, nil when none matches.
    package func interface(for address: IPAddress) -> String? {
        let target = address.unmapped
        return routes.filter { target.matches($0.destination, length: $0.prefixLength) }
            .max { $0.prefixLength < $1.prefixLength }?.interface
    }

    /// Interfaces with an IPv4 route, or an IPv6 route that is neither link-local nor multicast; never `lo`.
    package var routedInterfaces: Set<String> {
        var names = Set<String>()
        for route in routes where route.interface != "lo" {
            if !route.destination.isIPv4 {
                let first = route.destination.bytes[0], second = route.destination.bytes[1]
                if first == 0xff || (first == 0xfe && second & 0xc0 == 0x80) { continue }
            }
            names.insert(route.interface)
        }
        return names
    }

    /// Interfaces that carry a default route (`0.0.0.0/0` or `::/0`).
    package var defaultRouteInterfaces: Set<String> {
        Set(routes.filter { $0.prefixLength == 0 && $0.interface != "lo" }.map(\.interface))
    }
}
