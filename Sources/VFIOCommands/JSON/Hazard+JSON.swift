import VFIOClaim
import VFIOHost

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
            try container.encode(value.evidence, as: Evidence.FileJSON.self, forKey: .evidence)
            try container.encode(value.overridable, forKey: .overridable)
        }
    }
}
