import VFIOClaim

extension Applier.Outcome {
    /// One entry or held group: what apply did and why; no `entry`, `group` or `reason` when there is none.
    struct JSON: JSONShape {
        let value: Applier.Outcome

        private enum CodingKeys: String, CodingKey { case entry, group, action, reason, writes, hazards }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(value.entry, forKey: .entry)
            try container.encodeIfPresent(value.group, forKey: .group)
            try container.encode(value.action.rawValue, forKey: .action)
            try container.encodeIfPresent(value.reason, forKey: .reason)
            try container.encode(value.writes, forKey: .writes)
            try container.encode(value.hazards, as: Hazard.JSON.self, forKey: .hazards)
        }
    }
}
