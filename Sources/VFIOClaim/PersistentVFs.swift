import VFIOCore
import VFIOSysfs

/// An SR-IOV VF count to restore at every boot, before the VFs' own persistent
/// claims are applied. One file per PF under `CONFIG/sriov`:
///
///     pf 0000:00:07.0 1b36:0010 1af4:1100
///     vfs 4
public struct PersistentVFs: Hashable, Sendable {
    public let pf: PersistentClaim.Member
    public let count: Int

    public var name: String { pf.address.description }

    public var text: String {
        "# vfioadm persistent SR-IOV: vfioadm apply sets this PF's VF count (autoprobe off) before it applies\n"
            + "# the VFs' claims, only while the PF is still the device recorded. Written by vfioadm sriov --persist.\n"
            + "pf " + pf.line.dropFirst("device ".count) + "\nvfs \(count)\n"
    }

    /// Parses an entry, naming `file` and the line in every error.
    public static func parse(_ text: String, file: String) throws(PersistentClaim.ParseError) -> PersistentVFs {
        var pf: PersistentClaim.Member?
        var count: Int?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let keyword = fields.first, !keyword.hasPrefix("#") else { continue }
            func fail(_ reason: String) -> PersistentClaim.ParseError {
                PersistentClaim.ParseError(file: file, line: index + 1, reason: reason)
            }
            switch keyword {
            case "pf":
                guard pf == nil else { throw fail("expected one 'pf' line") }
                do {
                    pf = try PersistentClaim.parse("driver vfio-pci\ndevice " + fields.dropFirst().joined(separator: " "),
                                                   file: file).members.first
                } catch {
                    throw fail(error.reason.replacing("'device ", with: "'pf "))
                }
            case "vfs":
                guard fields.count == 2, count == nil, let value = Int(fields[1]), (0...65535).contains(value) else {
                    throw fail("expected one 'vfs N' line")
                }
                count = value
            default:
                throw fail("unknown keyword \(String(keyword).debugDescription) (pf, vfs or # comment)")
            }
        }
        guard let pf, let count else { throw PersistentClaim.ParseError(file: file, line: 0, reason: "needs a 'pf' and a 'vfs' line") }
        return PersistentVFs(pf: pf, count: count)
    }
}
