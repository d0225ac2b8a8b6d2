import VFIOSysfs

extension PhysicalFunction {
    /// The PF's SR-IOV attributes and its VFs; an attribute sysfs did not give is left out.
    struct JSON: JSONShape {
        let value: PhysicalFunction

        private enum CodingKeys: String, CodingKey {
            case address, driver, group, totalVFs, numVFs, offset, stride, vfDevice, driversAutoprobe, vfs
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.address, forKey: .address)
            try container.encodeIfPresent(value.driver, forKey: .driver)
            try container.encodeIfPresent(value.group, forKey: .group)
            try container.encode(value.totalVFs, forKey: .totalVFs)
            try container.encode(value.numVFs, forKey: .numVFs)
            try container.encodeIfPresent(value.offset, forKey: .offset)
            try container.encodeIfPresent(value.stride, forKey: .stride)
            try container.encodeIfPresent(value.vfDevice, forKey: .vfDevice)
            try container.encodeIfPresent(value.driversAutoprobe, forKey: .driversAutoprobe)
            try container.encode(value.vfs, as: VF.JSON.self, forKey: .vfs)
        }
    }
}

extension PhysicalFunction.VF {
    /// `{"address": ..., "group": 40, "driver": "vfio-pci"}`; no `group` or `driver` when it has none.
    struct JSON: JSONShape {
        let value: PhysicalFunction.VF

        private enum CodingKeys: String, CodingKey { case address, group, driver }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.address, forKey: .address)
            try container.encodeIfPresent(value.group, forKey: .group)
            try container.encodeIfPresent(value.driver, forKey: .driver)
        }
    }
}
