import VFIOClaim

extension GroupPlan {
    /// `{"group": 12, "devices": [...]}`
    struct JSON: JSONShape {
        let value: GroupPlan

        private enum CodingKeys: String, CodingKey { case group, devices }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.group, forKey: .group)
            try container.encode(value.devices, as: DevicePlan.JSON.self, forKey: .devices)
        }
    }
}

extension DevicePlan {
    /// A member's driver now, what the claim does with it and the writes that do it; what is unset is left out.
    struct JSON: JSONShape {
        let value: DevicePlan

        private enum CodingKeys: String, CodingKey { case address, driver, driverOverride, action, target, targetSource, writes }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.address, forKey: .address)
            try container.encodeIfPresent(value.driver, forKey: .driver)
            try container.encodeIfPresent(value.driverOverride, forKey: .driverOverride)
            try container.encode(value.action.rawValue, forKey: .action)
            try container.encodeIfPresent(value.target, forKey: .target)
            try container.encodeIfPresent(value.targetSource, forKey: .targetSource)
            try container.encode(value.writes, forKey: .writes)
        }
    }
}
