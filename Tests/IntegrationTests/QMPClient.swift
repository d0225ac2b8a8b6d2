import Foundation

/// A minimal QMP client over a UNIX socket: enough to negotiate capabilities,
/// run a command and read its `return`, skipping asynchronous events.
struct QMPClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let fd: Int32
    private var pending: [UInt8] = []

    /// Connects to QEMU's `-qmp unix:PATH,server=on,wait=off`, retrying until it listens, and reads the greeting.
    init(path: String, attempts: Int = 600) throws {
        var connected: Int32 = -1
        for _ in 0..<attempts {
            let socketFD = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard socketFD >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
            }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if result == 0 {
                connected = socketFD
                break
            }
            Foundation.close(socketFD)
            usleep(100_000)
        }
        guard connected >= 0 else { throw Failure(description: "QEMU never listened on \(path)") }
        fd = connected
        _ = try readMessage()  // {"QMP": {...}}
    }

    /// Runs `command` and returns its `return` value; an `error` reply throws.
    mutating func execute(_ command: String) throws -> Any {
        let line = Array("{\"execute\": \"\(command)\"}\n".utf8)
        guard line.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == line.count else {
            throw Failure(description: "write to QMP: \(String(cString: strerror(errno)))")
        }
        while true {
            let message = try readMessage()
            if message["event"] != nil { continue }
            if let error = message["error"] { throw Failure(description: "\(command): \(error)") }
            return message["return"] as Any
        }
    }

    /// The next JSON object QEMU sent (one per line).
    private mutating func readMessage() throws -> [String: Any] {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Data(pending[..<newline])
                pending.removeSubrange(...newline)
                guard !line.isEmpty else { continue }
                guard let object = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                    throw Failure(description: "QMP sent something other than an object")
                }
                return object
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure(description: "QMP closed (\(String(cString: strerror(errno))))") }
            pending += chunk[..<count]
        }
    }

    func close() { _ = Foundation.close(fd) }
}
