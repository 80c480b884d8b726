import Foundation
import StageModel

/// Runs `burst:` probes: `requests` requests spread evenly over `within`, through the shared `CurlEngine`
/// (its connection cache keeps them on a few kept-alive connections instead of one handshake each).
/// `[STATUSES]` is the multiset of statuses; the message reads `38×200 12×429`.
public struct BurstProbeRunner: KindRunner {
    public let engine: CurlEngine
    public let target: TargetConfig
    private let tokens: any TokenSource
    private let clock: any WallClock

    /// Bytes of each response kept (enough for an error's detail; bursts are about statuses).
    static let keptBodyBytes = 4 * 1024

    public init(engine: CurlEngine, target: TargetConfig, clock: any WallClock = SystemClock(), tokens: any TokenSource) {
        self.engine = engine; self.target = target; self.clock = clock; self.tokens = tokens
    }

    public init(engine: CurlEngine, target: TargetConfig, token: Secret?, clock: any WallClock = SystemClock()) {
        self.init(engine: engine, target: target, clock: clock, tokens: StaticTokenSource(token))
    }

    public func run(_ burst: BurstProbeSpec, probe spec: ProbeSpec) async -> ProbeResult {
        let startedAt = clock.now()
        let headers: HeaderList
        switch await TokenRequirement.headers(target.headers + burst.headers, auth: burst.auth, tokens) {
        case .success(let h): headers = h
        case .failure(let refusal): return refusal.result(spec, startedAt: startedAt, clock: clock)
        }
        let request = HTTPRequest(url: target.url(for: burst.path), method: burst.method, headers: headers,
                                  timeout: spec.timeout.seconds, maxBodyBytes: Self.keptBodyBytes,
                                  tls: spec.tls(target), resolve: target.resolve)
        let tally = await send(request, count: burst.requests, over: burst.within.seconds)
        return BurstJudge.result(spec, tally, startedAt: startedAt, finishedAt: clock.now())
    }

    /// Starts request `i` at `i × within / count` after the first, so the burst spans the window like the
    /// reports' "50 requests within 2 s"; with `within` 0 all start at once. Responses are tallied as
    /// they come back, not kept.
    func send(_ request: HTTPRequest, count: Int, over within: Double) async -> BurstTally {
        let engine = self.engine
        let start = ContinuousClock.now
        let spacing = count > 1 ? within / Double(count) : 0
        return await withTaskGroup(of: Result<HTTPResponse, TransportFailure>.self) { group in
            for i in 0..<count {
                if i > 0, spacing > 0 {
                    let slot = start.advanced(by: .nanoseconds(Int64(spacing * Double(i) * 1e9)))
                    // Cancelled (the scheduler stopping): stop sending; the tally below still counts
                    // what was sent.
                    do { try await Task.sleep(until: slot, clock: .continuous) } catch { break }
                }
                group.addTask { await engine.perform(request) }
            }
            var tally = BurstTally(planned: count)
            for await outcome in group { tally.add(outcome) }
            return tally
        }
    }
}

/// What a burst got back: statuses counted, transport failures counted with the first one kept.
struct BurstTally: Sendable {
    var planned: Int
    var statuses: [Int: Int] = [:]
    var latenciesMs: [Double] = []
    var failures = 0
    var firstFailure: TransportFailure?
    /// Connections opened (curl reuses kept-alive ones; a burst of 50 should open a handful).
    var newConnections = 0
    /// One response per status, for the error detail of an unexpected one.
    var sample: [Int: HTTPResponse] = [:]

    init(planned: Int) { self.planned = planned }

    mutating func add(_ outcome: Result<HTTPResponse, TransportFailure>) {
        switch outcome {
        case .success(let r):
            statuses[r.status, default: 0] += 1
            latenciesMs.append(r.timings.total)
            newConnections += r.newConnections
            if sample[r.status] == nil { sample[r.status] = r }
        case .failure(let f):
            failures += 1
            if firstFailure == nil { firstFailure = f }
        }
    }

    var sent: Int { statuses.values.reduce(0, +) + failures }

    /// Median of the request latencies (the row's latency: a burst's wall time is set by its window).
    var medianMs: Double? {
        guard !latenciesMs.isEmpty else { return nil }
        let s = latenciesMs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
