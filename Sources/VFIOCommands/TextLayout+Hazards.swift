import VFIOClaim

extension TextLayout {
    /// Each hazard labelled refused, unsafe or forced, with the files it was read from and its fix.
    static func hazards(_ hazards: [Hazard], forced: Bool) -> [String] {
        hazards.flatMap { hazard in
            let label = forced && hazard.overridable ? "forced" : hazard.overridable ? "unsafe" : "refused"
            return ["  \(label): \(hazard.message)"] + hazard.evidence.map { "    from: \($0.source): \($0.value)" }
                + ["    fix: \(hazard.fix)"]
        }
    }
}
