import Foundation
import StageModel

/// What the agent counts from every event since it started, for its live `/metrics`: runs by verdict, a
/// latency histogram per probe, stream hangs and login attempts. A snapshot holds the current state;
/// these hold the history Prometheus needs to compute rates and quantiles across scrapes and agents.
///
/// Every probe's series exist from the start at zero, so `increase()` sees the first failure.
public struct LiveCounters: Sendable {
    /// Upper bounds (seconds) of `stagetop_probe_duration_seconds`: 5 ms (a loopback health check) to
    /// 60 s (a slow stream), dense where staging latencies live.
    public static let bucketBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    struct Probe: Sendable {
        /// Indexed like `Verdict.allCases`.
        var runs = [Int](repeating: 0, count: Verdict.allCases.count)
        /// Per bucket, not cumulative (the exposition adds them up); the last slot is +Inf.
        var buckets = [Int](repeating: 0, count: LiveCounters.bucketBounds.count + 1)
        var observed = 0
        var sumSeconds = 0.0
        var hangs = 0
    }

    private(set) var probes: [String: Probe] = [:]
    /// Login attempts by outcome ("ok", "failed").
    public private(set) var logins: [String: Int] = ["ok": 0, "failed": 0]

    public init(probes names: [String]) {
        for n in names { probes[n] = Probe() }
    }

    public mutating func apply(_ event: ProbeEvent) {
        switch event {
        case .finished(let r):
            guard var p = probes[r.probe] else { return }
            if let i = Verdict.allCases.firstIndex(of: r.verdict) { p.runs[i] += 1 }
            if r.verdict == .hang && r.kind == .stream { p.hangs += 1 }
            if let ms = r.latencyMs, r.verdict != .skip {
                let s = ms / 1000
                let slot = Self.bucketBounds.firstIndex { s <= $0 } ?? Self.bucketBounds.count
                p.buckets[slot] += 1
                p.observed += 1
                p.sumSeconds += s
            }
            probes[r.probe] = p
        case .login(let state):
            switch state.phase {
            case .ok: logins["ok", default: 0] += 1
            case .failed: logins["failed", default: 0] += 1
            case .pending: break
            }
        case .started, .closed, .connection, .streamProgress, .journeyStep, .note:
            break
        }
    }

    /// After a config reload: probes still configured keep their counts, new ones start at zero, removed
    /// ones go (their series disappear, as Prometheus expects of a target that no longer has them).
    public mutating func retain(probes names: [String]) {
        var next: [String: Probe] = [:]
        for n in names { next[n] = probes[n] ?? Probe() }
        probes = next
    }

    public func runs(_ probe: String, _ verdict: Verdict) -> Int {
        guard let p = probes[probe], let i = Verdict.allCases.firstIndex(of: verdict) else { return 0 }
        return p.runs[i]
    }
}
