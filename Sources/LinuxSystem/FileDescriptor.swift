import Glibc

/// An open file descriptor with exactly one owner: it cannot be copied, and it
/// is closed once, when its owner ends.
public struct FileDescriptor: ~Copyable, Sendable {
    /// The descriptor number, for calls LinuxSystem does not wrap. Valid while this value lives.
    public let rawValue: Int32
    /// The node it was opened from, for error messages.
    public let path: String

    /// Takes ownership of an open descriptor.
    public init(adopting rawValue: Int32, path: String) {
        self.rawValue = rawValue
        self.path = path
    }

    deinit {
        // Linux releases the descriptor even when close fails (also on EINTR),
        // so a retry could close a number another thread has just been given.
        _ = Glibc.close(rawValue)
    }
}
