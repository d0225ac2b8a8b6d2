import VFIOClaim

extension HeldGroup {
    /// A held group from its journal, with each member then and now and the drift between them.
    struct JSON: JSONShape {
        let value: HeldGroup

        private enum CodingKeys: String, CodingKey { case group, phase, pid, members, owner, pending, drift }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.group, forKey: .group)
            try container.encode(value.phase.rawValue, forKey: .phase)
            try container.encode(value.pid, forKey: .pid)
            try container.encode(value.members, as: Member.JSON.self, forKey: .members)
            try container.encodeIfPresent(value.owner, forKey: .owner)
            try container.encodeIfPresent(value.pending, forKey: .pending)
            try container.encode(value.drift, forKey: .drift)
        }
    }
}

extension HeldGroup.Member {
    /// A member's driver and override before the claim, its target, and its driver and override now.
    struct JSON: JSONShape {
        let value: HeldGroup.Member

        private enum CodingKeys: String, CodingKey {
            case address, originalDriver, originalOverride, target, driver, driverOverride
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.address, forKey: .address)
            try container.encodeIfPresent(value.originalDriver, forKey: .originalDriver)
            try container.encodeIfPresent(value.originalOverride, forKey: .originalOverride)
            try container.encodeIfPresent(value.target, forKey: .target)
            try container.encodeIfPresent(value.driver, forKey: .driver)
            try container.encodeIfPresent(value.driverOverride, forKey: .driverOverride)
        }
    }
}
