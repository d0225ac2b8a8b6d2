import LinuxSystem
import VFIOCore
import VFIOSysfs

/// An established TCP connection, such as the administrator's SSH session.
package struct TCPSession: Hashable, CustomStringConvertible {
    let local: IPAddress
    let localPort: UInt16
    let remote: IPAddress
    let remotePort: UInt16

    /// `192.0.2.1:22 <-> 192.0.2.9:51234`
    package var description: String {
        func endpoint(_ address: IPAddress, _ port: UInt16) -> String {
            address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
        }
        return endpoint(local.unmapped, localPort) + " <-> " + endpoint(remote.unmapped, remotePort)
    }

    /// Every connection in state 01 (ESTABLISHED).
    ///
    /// The corresponding files are `/proc/net/tcp` and `/proc/net/tcp6`
    /// (`sl local_address rem_address st ...`, addresses as native-endian hex words, ports as hex).
    static func established(root: HostRoot) -> [TCPSession] {
        [root.tcp4Sockets, root.tcp6Sockets].flatMap { path -> [TCPSession] in
            guard case .success(let text) = FileSystem.readText(path, limit: 64 << 20) else { return [] }
            return text.split(separator: "\n").dropFirst().compactMap(parse)
        }
    }

    /// One line of `/proc/net/tcp` or `tcp6`, nil unless it is established.
    package static func parse(_ line: Substring) -> TCPSession? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 4, fields[3] == "01" else { return nil }
        func endpoint(_ field: Substring) -> (IPAddress, UInt16)? {
            let parts = field.split(separator: ":")
            guard parts.count == 2, let address = IPAddress(hex: parts[0], wordsInHostOrder: true),
                  let port = UInt16(parts[1], radix: 16)
            else { return nil }
            return (address, port)
        }
        guard let (local, localPort) = endpoint(fields[1]), let (remote, remotePort) = endpoint(fields[2]) else { return nil }
        return TCPSession(local: local, localPort: localPort, remote: remote, remotePort: remotePort)
    }
}
