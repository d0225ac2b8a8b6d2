import VFIOSysfs

extension GroupExplanation.Member {
    /// A member with its IDs and names, its ACS, its path to the root complex and why it is in the group.
    struct JSON: Encodable {
        let value: GroupExplanation.Member
        let names: PCIIDs?

        private enum CodingKeys: String, CodingKey {
            case address, ids, vendor, device, kind, headerType, multifunction, config, acs, iommuGroup, inKernelGroup,
                 predicted, path, firstBreak, reasons
        }

        /// Bytes that could be read (64 for a non-root reader), and the size of config space (256 or 4096).
        private struct Config: Encodable {
            let readable: Int
            let size: Int
        }

        func encode(to encoder: any Encoder) throws {
            let device = DeviceReport(value.function.device, names: names)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.address, forKey: .address)
            // `1234:11e8`, `????` for what could not be read.
            try container.encode(device.ids, forKey: .ids)
            try container.encodeIfPresent(device.vendor, forKey: .vendor)
            try container.encodeIfPresent(device.device, forKey: .device)
            try container.encode(value.function.kind.rawValue, forKey: .kind)
            try container.encodeIfPresent(device.headerType, forKey: .headerType)
            try container.encode(value.function.isMultifunction, forKey: .multifunction)
            try container.encodeIfPresent(
                value.function.config.map { Config(readable: $0.bytes.count, size: $0.size) }, forKey: .config)
            try container.encode(ACSCheck.JSON(check: value.check, acs: value.function.acs), forKey: .acs)
            try container.encodeIfPresent(value.function.device.iommuGroup, forKey: .iommuGroup)
            try container.encode(value.inKernelGroup, forKey: .inKernelGroup)
            try container.encode(value.predicted, forKey: .predicted)
            // Nearest bridge first; empty on a root bus.
            try container.encode(value.path.hops, as: BridgeHop.JSON.self, forKey: .path)
            // The nearest bridge that does not isolate (or could not be read).
            try container.encodeIfPresent(value.path.firstBreak?.address, forKey: .firstBreak)
            try container.encode(value.reasons, as: GroupExplanation.Reason.JSON.self, forKey: .reasons)
        }
    }
}

extension ACSCheck {
    /// A function's ACS as the kernel's rule (`pci_acs_enabled`) reads it: the capability's offset and
    /// flags, the check's code (`acs-enabled`, `acs-not-required`, `quirk`, `acs-flags-off`,
    /// `no-acs-capability`, `never-isolates`, `unreadable`), whether it isolates (left out when config
    /// space did not say), the needed flags that are off, the quirk, and a summary.
    struct JSON: Encodable {
        let check: ACSCheck
        let acs: ConfigLookup<ACSCapability>

        private enum CodingKeys: String, CodingKey { case offset, implemented, enabled, check, isolates, missing, quirk, summary }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(acs.value.map { "0x" + zeroPaddedHex($0.offset, 3) }, forKey: .offset)
            try container.encodeIfPresent(acs.value?.implemented.names, forKey: .implemented)
            try container.encodeIfPresent(acs.value?.enabled.names, forKey: .enabled)
            try container.encode(check.code, forKey: .check)
            try container.encodeIfPresent(check.isolates, forKey: .isolates)
            if case .flagsOff(let flags) = check { try container.encode(flags.names, forKey: .missing) }
            if case .quirk(let quirk) = check { try container.encode(quirk.kernelName, forKey: .quirk) }
            try container.encode(check.summary(acs), forKey: .summary)
        }
    }
}

extension BridgeHop {
    /// One bridge between a member and the root complex: its kind and ACS, and whether DMA from below
    /// carries its requester ID (left out when its kind is unreadable).
    struct JSON: JSONShape {
        let value: BridgeHop

        private enum CodingKeys: String, CodingKey { case address, kind, headerType, acs, aliases, requesterID }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.address, forKey: .address)
            try container.encode(value.kind.rawValue, forKey: .kind)
            try container.encodeIfPresent(value.headerType.map { "0x" + zeroPaddedHex($0, 2) }, forKey: .headerType)
            try container.encode(ACSCheck.JSON(check: value.check, acs: value.acs), forKey: .acs)
            try container.encodeIfPresent(value.aliases, forKey: .aliases)
            try container.encodeIfPresent(value.requesterID, forKey: .requesterID)
        }
    }
}

extension GroupExplanation.Reason {
    /// `{"code": ..., "peers": [...], "certain": true, "message": ...}`
    struct JSON: JSONShape {
        let value: GroupExplanation.Reason

        private enum CodingKeys: String, CodingKey { case code, peers, certain, message }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.code, forKey: .code)
            try container.encode(value.peers, forKey: .peers)
            try container.encode(value.certain, forKey: .certain)
            try container.encode(value.message, forKey: .message)
        }
    }
}

extension GroupExplanation.CrossCheck {
    /// The rules' prediction against the kernel's membership; `elsewhere` as `{"device", "group"}` pairs
    /// in address order.
    struct JSON: JSONShape {
        let value: GroupExplanation.CrossCheck

        private enum CodingKeys: String, CodingKey {
            case status, kernel, predicted, notPredicted, ungrouped, elsewhere, findings
        }

        private struct Elsewhere: Encodable {
            let device: PCIAddress
            let group: IOMMUGroupID
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.status.rawValue, forKey: .status)
            try container.encode(value.kernel, forKey: .kernel)
            try container.encode(value.predicted, forKey: .predicted)
            try container.encode(value.notPredicted, forKey: .notPredicted)
            try container.encode(value.ungrouped, forKey: .ungrouped)
            let elsewhere = value.elsewhere.sorted { $0.key < $1.key }.map { Elsewhere(device: $0.key, group: $0.value) }
            try container.encode(elsewhere, forKey: .elsewhere)
            try container.encode(value.findings, forKey: .findings)
        }
    }
}

extension GroupExplanation.Note {
    /// `{"code": ..., "devices": [...], "message": ...}`
    struct JSON: JSONShape {
        let value: GroupExplanation.Note

        private enum CodingKeys: String, CodingKey { case code, devices, message }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.code, forKey: .code)
            try container.encode(value.devices, forKey: .devices)
            try container.encode(value.message, forKey: .message)
        }
    }
}
