/// Hands the bound port from Hummingbird's `onServerRunning` (or the error that stopped the server
/// first) to the `start()` call waiting for it. Whichever comes first wins; later reports are ignored.
final class StartupSignal: Sendable {
    private struct State {
        var result: Result<Int, any Error>?
        var waiter: CheckedContinuation<Int, any Error>?
    }

    private let state = Locked(State())

    func listening(port: Int) { finish(.success(port)) }

    func failed(_ error: any Error) { finish(.failure(error)) }

    private func finish(_ result: Result<Int, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    /// The bound port, once listening. Cancelling the waiting task fails the start.
    func wait() async throws -> Int {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                let ready = state.withLock { state -> Result<Int, any Error>? in
                    if state.result == nil { state.waiter = continuation }
                    return state.result
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            failed(CancellationError())
        }
    }
}
