import VFIOSysfs

extension DeviceLifecycle {
    /// Reset methods, power, placement and link; a value sysfs did not give is left out.
    struct JSON: JSONShape {
        let value: DeviceLifecycle

        private enum CodingKeys: String, CodingKey {
            case resetMethods, busResetAlsoResets, d3coldAllowed, powerState, runtimeStatus, numaNode, localCPUs, link
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(value.resetMethods, as: ResetMethod.JSON.self, forKey: .resetMethods)
            try container.encode(value.busResetAlsoResets, forKey: .busResetAlsoResets)
            try container.encodeIfPresent(value.d3coldAllowed, forKey: .d3coldAllowed)
            try container.encodeIfPresent(value.powerState, forKey: .powerState)
            try container.encodeIfPresent(value.runtimeStatus, forKey: .runtimeStatus)
            try container.encodeIfPresent(value.numaNode, forKey: .numaNode)
            try container.encodeIfPresent(value.localCPUs, forKey: .localCPUs)
            try container.encodeIfPresent(value.link, as: Link.JSON.self, forKey: .link)
        }
    }
}

extension DeviceLifecycle.ResetMethod {
    /// `{"name": "flr", "meaning": "Function Level Reset ..."}`
    struct JSON: JSONShape {
        let value: DeviceLifecycle.ResetMethod

        private enum CodingKeys: String, CodingKey { case name, meaning }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.name, forKey: .name)
            try container.encode(value.meaning, forKey: .meaning)
        }
    }
}

extension DeviceLifecycle.Link {
    /// Current and maximum speed and width, and whether the link runs below them.
    struct JSON: JSONShape {
        let value: DeviceLifecycle.Link

        private enum CodingKeys: String, CodingKey { case currentSpeed, currentWidth, maxSpeed, maxWidth, degraded }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.currentSpeed, forKey: .currentSpeed)
            try container.encodeIfPresent(value.currentWidth, forKey: .currentWidth)
            try container.encode(value.maxSpeed, forKey: .maxSpeed)
            try container.encodeIfPresent(value.maxWidth, forKey: .maxWidth)
            try container.encode(value.degraded, forKey: .degraded)
        }
    }
}
