import VFIOClaim

extension DeviceHandOff {
    /// `{"address": ..., "group": 12, "driver": "vfio-pci", "nodes": [...]}`; no `driver` when unbound.
    struct JSON: JSONShape {
        let value: DeviceHandOff

        private enum CodingKeys: String, CodingKey { case address, group, driver, nodes }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.address, forKey: .address)
            try container.encode(value.group, forKey: .group)
            try container.encodeIfPresent(value.driver, forKey: .driver)
            try container.encode(value.nodes, as: VMMNode.JSON.self, forKey: .nodes)
        }
    }
}

extension VMMNode {
    /// A node's kind and path, and its owner and mode when it exists.
    struct JSON: JSONShape {
        let value: VMMNode

        private enum CodingKeys: String, CodingKey { case kind, path, exists, uid, gid, user, group, mode }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.kind.rawValue, forKey: .kind)
            try container.encode(value.path, forKey: .path)
            try container.encode(value.exists, forKey: .exists)
            try container.encodeIfPresent(value.uid, forKey: .uid)
            try container.encodeIfPresent(value.gid, forKey: .gid)
            try container.encodeIfPresent(value.user, forKey: .user)
            try container.encodeIfPresent(value.group, forKey: .group)
            try container.encodeIfPresent(value.mode, forKey: .mode)
        }
    }
}
