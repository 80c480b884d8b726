/// Something that happens once (the server starts stopping; in-flight requests have drained) and
/// that any number of tasks can wait for. Waiting also ends when the waiting task is cancelled, so a
/// waiter raced against a sleep never outlives the race.
final class OneShotEvent: Sendable {
    private struct State {
        var fired = false
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Locked(State())

    var hasFired: Bool { state.withLock { $0.fired } }

    func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.fired = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the event has fired, or at once if the calling task is cancelled.
    func wait() async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    // Checked under the lock: a cancel handler that ran before this point finds no
                    // waiter to resume, so we must notice the cancellation ourselves.
                    if state.fired || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Sleeps for `duration` unless the event fires first. Returns true if the full duration passed.
    /// This is how simulated delays stay interruptible: graceful shutdown must not wait for them.
    func sleep(for duration: Duration) async -> Bool {
        if hasFired { return false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await Task.sleep(for: duration)
                    return true
                } catch {
                    return false
                }
            }
            group.addTask {
                await self.wait()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
