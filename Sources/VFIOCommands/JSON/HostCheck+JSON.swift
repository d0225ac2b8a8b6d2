import VFIOHost

extension HostCheck {
    /// `{"id": "iommu-enabled", "status": "pass", "summary": ..., "evidence": [...], "fix": ..., "needsRoot": false}`;
    /// no `fix` when there is nothing to do.
    struct JSON: JSONShape {
        let value: HostCheck

        private enum CodingKeys: String, CodingKey { case id, status, summary, evidence, fix, needsRoot }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.id, forKey: .id)
            try container.encode(value.status.rawValue, forKey: .status)
            try container.encode(value.summary, forKey: .summary)
            try container.encode(value.evidence, as: Evidence.JSON.self, forKey: .evidence)
            try container.encodeIfPresent(value.fix, forKey: .fix)
            try container.encode(value.needsRoot, forKey: .needsRoot)
        }
    }
}
