import VFIOSysfs

extension IOMMUGroup.OtherMember {
    /// `{"name": "ACPI0007:00", "driver": "..."}`; no `driver` when unbound.
    struct JSON: JSONShape {
        let value: IOMMUGroup.OtherMember

        private enum CodingKeys: String, CodingKey { case name, driver }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.name, forKey: .name)
            try container.encodeIfPresent(value.driver, forKey: .driver)
        }
    }
}
