import Glibc

/// A `pthread_mutex_t`. Synchronization's `Mutex` waits on a raw futex, which
/// ThreadSanitizer cannot see, so it reports every access it guards as a race.
///
/// The corresponding calls are `pthread_mutex_lock(3)` and `pthread_mutex_unlock(3)`.
final class PthreadLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
