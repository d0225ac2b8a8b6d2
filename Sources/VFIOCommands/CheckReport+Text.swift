extension CheckReport {
    /// Each target's verdict with its reasons.
    func render() -> String {
        results.flatMap { result in
            let heading = switch result.group {
            case .some where result.target.hasPrefix("group"): result.target
            case .some(let group): "\(result.target) (group \(group))"
            case .none: result.target
            }
            return ["\(heading): \(result.verdict.value.status.rawValue)"] + TextLayout.reasons(result.verdict.value)
        }.joined(separator: "\n")
    }
}
