import VFIOClaim

extension Hazard {
    /// `{"kind": "mounted-filesystem", "device": ..., "message": ..., "fix": ..., "evidence": [...],
    /// "overridable": true}`; no `device` when the hazard names none.
    struct JSON: JSONShape {
        let value: Hazard

        private enum CodingKeys: String, CodingKey { case kind, device, message, fix, evidence, overridable }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.kind.rawValue, forKey: .kind)
            try container.encodeIfPresent(value.device, forKey: .device)
            try container.encode(value.message, forKey: .message)
            try container.encode(value.fix, forKey: .fix)
            try container.encode(value.evidence, as: Evidence.JSON.self, forKey: .evidence)
            try container.encode(value.overridable, forKey: .overridable)
        }
    }
}

extension Hazard.Evidence {
    /// `{"file": "/proc/self/mountinfo", "value": ...}`
    struct JSON: JSONShape {
        let value: Hazard.Evidence

        private enum CodingKeys: String, CodingKey { case file, value }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.file, forKey: .file)
            try container.encode(value.value, forKey: .value)
        }
    }
}
