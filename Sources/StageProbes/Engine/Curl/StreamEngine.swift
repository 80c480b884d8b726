import StageModel

/// A watched stream's outcome: the HTTP result (for a fired watchdog, the response so far: status,
/// headers, the first bytes of body) and what the body timing saw.
public struct StreamOutcome: Sendable {
    public var result: Result<HTTPResponse, TransportFailure>
    public var record: StreamRecord

    public init(result: Result<HTTPResponse, TransportFailure>, record: StreamRecord) {
        self.result = result; self.record = record
    }
}

extension CurlEngine {
    /// Runs a request whose body is a stream (SSE or plain chunked): every body chunk is timestamped in
    /// the write callback, SSE event names are collected, and the watchdog ends the transfer (removing its
    /// easy handle) when a limit passes, even if no byte ever arrives. Cancelling the awaiting task
    /// removes the transfer as for `perform`.
    public func stream(_ request: HTTPRequest, watch: StreamWatchSettings) async -> StreamOutcome {
        let tap = StreamTap(watch)
        let result = await run(request, tap: tap)
        // The curl thread let go of the tap before resuming us.
        return StreamOutcome(result: result, record: tap.record)
    }
}
