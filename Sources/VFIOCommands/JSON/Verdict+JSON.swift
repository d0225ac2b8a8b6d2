import VFIOSysfs

extension Verdict {
    /// `{"status": "not-viable", "reasons": [...]}`
    struct JSON: JSONShape {
        let value: Verdict

        private enum CodingKeys: String, CodingKey { case status, reasons }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.status.rawValue, forKey: .status)
            try container.encode(value.reasons, as: Reason.JSON.self, forKey: .reasons)
        }
    }
}

extension Verdict.Reason {
    /// `{"code": "kernel-dma-driver", "device": "0000:00:1f.2", "message": ..., "fix": ...}`; no `device` when none.
    struct JSON: JSONShape {
        let value: Verdict.Reason

        private enum CodingKeys: String, CodingKey { case code, device, message, fix }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value.code.rawValue, forKey: .code)
            try container.encodeIfPresent(value.device, forKey: .device)
            try container.encode(value.message, forKey: .message)
            try container.encode(value.fix, forKey: .fix)
        }
    }
}
