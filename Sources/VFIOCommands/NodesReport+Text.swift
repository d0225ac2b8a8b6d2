extension NodesReport {
    /// Each device, then its nodes with their owner and mode.
    func render() -> String {
        devices.map(\.value).flatMap { device in
            ["\(device.address) (group \(device.group), \(device.driver?.rawValue ?? "no driver"))"]
                + device.nodes.map { node in
                    let path = TextLayout.column(node.path, max(26, node.path.count + 1))
                    let kind = TextLayout.column(node.kind.rawValue, 10)
                    guard node.exists, let uid = node.uid, let gid = node.gid, let mode = node.mode else {
                        return "  \(path) \(kind) missing"
                    }
                    return "  \(path) \(kind) \(node.user ?? String(uid)):\(node.group ?? String(gid)) \(mode)"
                }
        }.joined(separator: "\n")
    }
}
