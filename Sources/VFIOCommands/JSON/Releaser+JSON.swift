import VFIOClaim

extension Releaser.Outcome {
    /// One group's release: its result, the hazards overridden or refusing it, and what was put back.
    struct JSON: JSONShape {
        let value: Releaser.Outcome

        private enum CodingKeys: String, CodingKey { case group, result, writes, hazards, warnings, nodes }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.group, forKey: .group)
            try container.encode(value.result.rawValue, forKey: .result)
            try container.encode(value.writes, forKey: .writes)
            try container.encode(value.hazards, as: Hazard.JSON.self, forKey: .hazards)
            try container.encode(value.warnings, forKey: .warnings)
            try container.encode(value.nodes, forKey: .nodes)
        }
    }
}
