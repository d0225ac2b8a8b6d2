import VFIOSysfs

extension AttributeProblem {
    /// `{"path": "/sys/.../numa_node", "errno": 2, "errnoName": "ENOENT", "reason": "No such file or directory"}`
    struct JSON: JSONShape {
        let value: AttributeProblem

        private enum CodingKeys: String, CodingKey { case path, errno, errnoName, reason }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.path, forKey: .path)
            try container.encode(value.errno.rawValue, forKey: .errno)
            try container.encode(value.errnoName, forKey: .errnoName)
            try container.encode(value.reason, forKey: .reason)
        }
    }
}
