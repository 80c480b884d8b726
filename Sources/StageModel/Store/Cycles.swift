import Foundation

/// A verdict that changed between two cycles.
public struct Flip: Sendable, Equatable, Codable {
    public var probe: String
    public var from: Verdict?
    public var to: Verdict
    public init(probe: String, from: Verdict?, to: Verdict) { self.probe = probe; self.from = from; self.to = to }
}

/// One full pass over every enabled probe: what the staging reports wrote by hand as "22/25".
public struct CycleSummary: Sendable, Equatable {
    public var number: Int
    public var startedAt: Date
    public var finishedAt: Date
    public var passed: Int
    /// Counted probes (total − skipped): hangs and errors are in here.
    public var counted: Int
    public var failed: Int
    public var hung: Int
    public var errored: Int
    public var latencyAvgMs: Double?
    /// Every probe's verdict at the close: kept on the latest closed cycle only (the next one's flips are
    /// computed against it). On older cycles it is emptied: a map of every probe per cycle, 500 cycles deep,
    /// was the agent's slow RSS growth in the soak (1,000 probes: ~60 KB a cycle).
    public var verdicts: [String: Verdict]
    /// Against the previous cycle (empty for the first).
    public var flips: [Flip]

    public var passRate: Double? { counted == 0 ? nil : Double(passed) / Double(counted) }

    /// "22/25"
    public var ratio: String { "\(passed)/\(counted)" }
}

/// Tracks the cycle in progress: a cycle closes when every enabled probe has reported at least once
/// since it began (a probe that reports twice keeps its latest result).
struct CycleTracker: Sendable {
    static let limit = 500
    private(set) var number = 1
    private(set) var startedAt: Date
    /// What closing a cycle reads of each probe's latest result (not the whole result: holding every
    /// result's body and headers until the cycle closed was most of a result's cost in the store, perf).
    private struct Reported: Sendable {
        var verdict: Verdict
        var latencyMs: Double?
        var finishedAt: Date
    }
    private var current: [String: Reported] = [:]
    private(set) var closed: [CycleSummary] = []
    let enabled: Set<String>

    init(enabled: Set<String>, startedAt: Date) { self.enabled = enabled; self.startedAt = startedAt }

    var inProgress: Int { current.count }

    /// Goes on from another tracker's numbering and history (a config reload); the cycle in progress
    /// starts over, since the set of probes that closes it has changed.
    mutating func continueNumbering(after old: CycleTracker) {
        number = old.number
        closed = old.closed
        current = [:]
    }

    /// Records a result; returns the summary when this result closed a cycle.
    mutating func record(_ r: ProbeResult) -> CycleSummary? {
        guard enabled.contains(r.probe) else { return nil }
        current[r.probe] = Reported(verdict: r.verdict, latencyMs: r.latencyMs, finishedAt: r.finishedAt)
        guard current.count == enabled.count else { return nil }
        let summary = close(at: current.values.map(\.finishedAt).max() ?? r.finishedAt)
        return summary
    }

    private mutating func close(at end: Date) -> CycleSummary {
        var s = CycleSummary(number: number, startedAt: startedAt, finishedAt: end, passed: 0, counted: enabled.count,
                             failed: 0, hung: 0, errored: 0, latencyAvgMs: nil, verdicts: [:], flips: [])
        var sum = 0.0, n = 0
        for (name, r) in current {
            s.verdicts[name] = r.verdict
            switch r.verdict {
            case .pass: s.passed += 1
            case .fail: s.failed += 1
            case .hang: s.hung += 1
            case .error: s.errored += 1
            case .skip: s.counted -= 1
            }
            if let ms = r.latencyMs { sum += ms; n += 1 }
        }
        s.latencyAvgMs = n == 0 ? nil : sum / Double(n)
        if let prev = closed.last {
            s.flips = s.verdicts.keys.sorted().compactMap { name in
                let before = prev.verdicts[name], after = s.verdicts[name]!
                return before == after ? nil : Flip(probe: name, from: before, to: after)
            }
        }
        if !closed.isEmpty { closed[closed.count - 1].verdicts = [:] }
        closed.append(s)
        if closed.count > CycleTracker.limit { closed.removeFirst(closed.count - CycleTracker.limit) }
        number += 1
        startedAt = end
        current = [:]
        return s
    }
}
