import Foundation

/// A value guarded by a lock, for state that synchronous public API (`setFault`, `setScenario`) and
/// concurrent request handlers share. `Synchronization.Mutex` would do, but it needs macOS 15 and the
/// package still declares macOS 14.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
