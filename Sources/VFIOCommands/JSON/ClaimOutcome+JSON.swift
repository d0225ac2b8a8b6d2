import VFIOClaim

extension ClaimOutcome {
    /// One group's claim: its result, plan, hazards and writes; no `kernelViable` when the kernel was not asked.
    struct JSON: JSONShape {
        let value: ClaimOutcome

        private enum CodingKeys: String, CodingKey {
            case group, result, plan, hazards, forced, writes, recovered, kernelViable, nodes, warnings
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.group, forKey: .group)
            try container.encode(value.result.rawValue, forKey: .result)
            try container.encode(value.plan, as: GroupPlan.JSON.self, forKey: .plan)
            try container.encode(value.hazards, as: Hazard.JSON.self, forKey: .hazards)
            try container.encode(value.forced, forKey: .forced)
            try container.encode(value.writes, forKey: .writes)
            try container.encode(value.recovered, forKey: .recovered)
            try container.encodeIfPresent(value.kernelViable, forKey: .kernelViable)
            try container.encode(value.nodes, forKey: .nodes)
            try container.encode(value.warnings, forKey: .warnings)
        }
    }
}
