import Foundation
import StageModel

/// Runs `stream:` probes (SSE or plain chunked bodies) through the shared `CurlEngine`.
///
/// Body chunks are timed as they arrive; `first_byte_within`, `max_gap` and `finish_within` are watched by
/// a timer on the curl thread, so a stream that goes silent ends as `hang` on time instead of hanging the
/// run (report 004: three streams "hang indefinitely" and were quietly left out of the pass rate).
public struct StreamProbeRunner: KindRunner {
    public let engine: CurlEngine
    public let target: TargetConfig
    private let tokens: any TokenSource
    private let clock: any WallClock
    private let progress: (@Sendable (ProbeEvent) -> Void)?
    private let progressInterval: Double

    /// Bytes of body kept for the result (an error body's detail, the start of the stream).
    static let keptBodyBytes = 16 * 1024

    /// - Parameters:
    ///   - progress: receives `.streamProgress` while a stream runs (at the start, at the first byte, then
    ///     at most every `progressInterval` seconds while data flows), on the curl thread and always before
    ///     the run's result: pass the store's `apply` (it is cheap and non-blocking).
    public init(engine: CurlEngine, target: TargetConfig, clock: any WallClock = SystemClock(), tokens: any TokenSource,
                progressInterval: Double = 0.1, progress: (@Sendable (ProbeEvent) -> Void)? = nil) {
        self.engine = engine; self.target = target; self.clock = clock; self.tokens = tokens
        self.progressInterval = progressInterval; self.progress = progress
    }

    public init(engine: CurlEngine, target: TargetConfig, token: Secret?, clock: any WallClock = SystemClock(),
                progress: (@Sendable (ProbeEvent) -> Void)? = nil) {
        self.init(engine: engine, target: target, clock: clock, tokens: StaticTokenSource(token), progress: progress)
    }

    public func run(_ stream: StreamProbeSpec, probe spec: ProbeSpec) async -> ProbeResult {
        let startedAt = clock.now()
        var headers: HeaderList
        switch await TokenRequirement.headers(target.headers + stream.headers, auth: stream.auth, tokens) {
        case .success(let h): headers = h
        case .failure(let refusal): return refusal.result(spec, startedAt: startedAt, clock: clock)
        }
        HeaderFields.addDefault("Accept", "text/event-stream", to: &headers)
        let body = HTTPProbeRunner.jsonBody(stream.body, headers: &headers)
        let limits = StreamWatchdog.Limits(stream)
        // With finish_within the watchdog bounds the whole stream; without it the probe's timeout does
        // (curl's own limit), so no stream can run forever.
        var request = HTTPRequest(
            url: target.url(for: stream.path), method: stream.method, headers: headers, body: body,
            timeout: limits.finishWithin == nil ? spec.timeout.seconds : 0, connectTimeout: spec.timeout.seconds,
            maxBodyBytes: Self.keptBodyBytes, tls: spec.tls(target), resolve: target.resolve)
        request.certificateExpiry = spec.conditions.contains { $0.uses(.certificateExpiration) }
        request.certificateInfo = request.url.lowercased().hasPrefix("https://")
        var onProgress: (@Sendable (StreamProgress) -> Void)?
        if let sink = progress { onProgress = { sink(.streamProgress($0)) } }
        let watch = StreamWatchSettings(probe: spec.name, limits: limits, clock: clock, progressInterval: progressInterval,
                                progress: onProgress)
        let outcome = await engine.stream(request, watch: watch)
        return StreamJudge.result(spec, stream, outcome, startedAt: startedAt, finishedAt: clock.now())
    }
}
