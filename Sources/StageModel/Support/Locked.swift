import Foundation

/// A value behind a lock: what every shared mutable state in stagetop uses instead of
/// `Synchronization.Mutex`. On Linux that Mutex waits on a futex through code ThreadSanitizer does not
/// see, so every access it guards reads as a data race and TSan (make tsan) would be useless; an
/// `NSLock` (a pthread mutex, which TSan understands) costs the same uncontended and keeps TSan exact.
public final class Locked<Value>: @unchecked Sendable {  // `value` is only touched under `lock`
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
