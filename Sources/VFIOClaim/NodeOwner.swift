import Glibc

/// The user (and group) `--owner` hands the device nodes to, resolved
/// through the password and group databases before anything is changed.
public struct NodeOwner: Hashable, Sendable {
    public let user: String
    public let uid: UInt32
    public let gid: UInt32

    /// Parses `USER[:GROUP]` (names or numbers) and resolves both; nil with the
    /// reason when a field is malformed or unknown.
    ///
    /// The corresponding calls are `getpwnam_r(3)`, `getpwuid_r(3)` and `getgrnam_r(3)`.
    public static func resolve(_ text: String) -> Result<NodeOwner, Problem> {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(fields.count), fields.allSatisfy(isName) else {
            return .failure(Problem("--owner \(text.debugDescription) must be USER or USER:GROUP (names or numbers)"))
        }
        guard let (uid, primary) = lookupUser(String(fields[0])) else {
            return .failure(Problem("--owner: no user \(fields[0]) in the password database"))
        }
        var gid = primary
        if fields.count == 2 {
            guard let group = lookupGroup(String(fields[1])) else {
                return .failure(Problem("--owner: no group \(fields[1]) in the group database"))
            }
            gid = group
        }
        return .success(NodeOwner(user: String(fields[0]), uid: uid, gid: gid))
    }

    /// Why `--owner` was not accepted.
    public struct Problem: Error, Sendable {
        public let message: String
        init(_ message: String) { self.message = message }
    }

    /// Letters, digits, `_`, `-`, `.`, at most 32 bytes, not starting with `-`.
    private static func isName(_ field: Substring) -> Bool {
        (1...32).contains(field.utf8.count) && field.utf8.first != 0x2D
            && field.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0)
                || (0x61...0x7A).contains($0) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E }
    }

    private static func lookupUser(_ name: String) -> (UInt32, UInt32)? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        if getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil {
            return (entry.pw_uid, entry.pw_gid)
        }
        guard let number = UInt32(name) else { return nil }
        if getpwuid_r(number, &entry, &buffer, buffer.count, &result) == 0, result != nil {
            return (entry.pw_uid, entry.pw_gid)
        }
        return (number, number)
    }

    private static func lookupGroup(_ name: String) -> UInt32? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        if getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil { return entry.gr_gid }
        return UInt32(name)
    }
}
