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
    /// By the store's probe index: a result's probe is found without hashing its name (two hashes and a
    /// dictionary insert a result, and the map grown again from empty every cycle: perf put it at a sixth of
    /// the store's work at 1,000 results a second).
    private var current: [Reported?]
    private var reported = 0
    private(set) var closed: [CycleSummary] = []
    /// The probes that close a cycle, by index (a name that occurs twice counts once: its first index).
    private let names: [String]
    private let counts: [Bool]
    private let enabledCount: Int

    /// - Parameters:
    ///   - names: the store's probes in index order.
    ///   - enabled: whether each counts.
    init(names: [String], enabled: [Bool], startedAt: Date) {
        var seen = Set<String>()
        let counts = zip(names, enabled).map { name, on in on && seen.insert(name).inserted }
        self.names = names
        self.counts = counts
        enabledCount = counts.count { $0 }
        current = Array(repeating: nil, count: names.count)
        self.startedAt = startedAt
    }

    var inProgress: Int { reported }

    /// Goes on from another tracker's numbering and history (a config reload); the cycle in progress
    /// starts over, since the set of probes that closes it has changed.
    mutating func continueNumbering(after old: CycleTracker) {
        number = old.number
        closed = old.closed
        current = Array(repeating: nil, count: names.count)
        reported = 0
    }

    /// Records the result of the store's probe `i`; returns the summary when this result closed a cycle.
    mutating func record(_ r: ProbeResult, at i: Int) -> CycleSummary? {
        guard i < counts.count, counts[i] else { return nil }
        if current[i] == nil { reported += 1 }
        current[i] = Reported(verdict: r.verdict, latencyMs: r.latencyMs, finishedAt: r.finishedAt)
        guard reported == enabledCount else { return nil }
        return close(at: current.lazy.compactMap { $0?.finishedAt }.max() ?? r.finishedAt)
    }

    private mutating func close(at end: Date) -> CycleSummary {
        var s = CycleSummary(number: number, startedAt: startedAt, finishedAt: end, passed: 0, counted: enabledCount,
                             failed: 0, hung: 0, errored: 0, latencyAvgMs: nil, verdicts: [:], flips: [])
        s.verdicts.reserveCapacity(enabledCount)
        var sum = 0.0, n = 0
        for (i, reported) in current.enumerated() {
            guard let r = reported else { continue }
            s.verdicts[names[i]] = r.verdict
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
        for i in current.indices { current[i] = nil }
        reported = 0
        return s
    }
}
