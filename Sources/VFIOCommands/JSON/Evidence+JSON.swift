import VFIOHost

extension Evidence {
    /// `{"source": "/proc/cmdline", "value": "intel_iommu=on"}`, as a `doctor` check shows it.
    struct JSON: JSONShape {
        let value: Evidence

        func encode(to encoder: any Encoder) throws { try value.encode(sourceKey: "source", to: encoder) }
    }

    /// `{"file": "/proc/self/mountinfo", "value": ...}`, as a hazard shows it: a hazard's source is always a file.
    struct FileJSON: JSONShape {
        let value: Evidence

        func encode(to encoder: any Encoder) throws { try value.encode(sourceKey: "file", to: encoder) }
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private func encode(sourceKey: String, to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(source, forKey: Key(stringValue: sourceKey))
        try container.encode(value, forKey: Key(stringValue: "value"))
    }
}
