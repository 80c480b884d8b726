import Foundation

/// One point of a probe's recent history (sparkline, verdict history).
public struct HistoryPoint: Sendable, Equatable {
    public var at: Date
    public var verdict: Verdict
    public var latencyMs: Double?
    public init(at: Date, verdict: Verdict, latencyMs: Double?) { self.at = at; self.verdict = verdict; self.latencyMs = latencyMs }
}

/// Everything the UI and reports know about one probe, as a value.
public struct ProbeState: Sendable {
    public var name: String
    public var group: String
    public var kind: ProbeKind
    /// What it talks to, for display: "GET /health", "ws /ws".
    public var target: String
    public var enabled: Bool
    /// The latest result. Boxed: a snapshot copies every probe's state each frame, and a `ProbeResult` inline
    /// is some thirty fields to copy and retain (perf: copying and freeing probe states was a quarter of the
    /// CPU with 10,000 probes); a box is one retain, and results are never changed in place.
    public var last: ProbeResult? {
        get { lastBox?.value }
        set { lastBox = newValue.map(Box.init); lastVerdict = newValue?.verdict }
    }
    private var lastBox: Box<ProbeResult>?
    /// The latest result's verdict, inline: the table orders every probe by it each frame, and reaching it
    /// through the box was a cache miss a probe (8 % of a 10,000-row frame in perf).
    private var lastVerdict: Verdict?
    public var stats: LatencySummary
    /// Oldest first, at most `Store.historyLimit`.
    public var history: [HistoryPoint]
    /// When the current verdict began (for "failing since").
    public var verdictSince: Date?
    /// Set while a run is in flight.
    public var runningSince: Date?
    /// Set while a journey runs: the step it is on.
    public var journeyStep: JourneyProgress?
    /// WebSocket probes: the latest connection state (held-open probes update it between verdicts).
    public var connection: WebSocketInfo? {
        get { connectionBox?.value }
        set { connectionBox = newValue.map(Box.init) }
    }
    private var connectionBox: Box<WebSocketInfo>?
    public var runs: Int
    /// The server certificate the probe last saw (kept while connections are reused).
    public var certificate: CertificateExpiry? {
        get { certificateBox?.value }
        set { certificateBox = newValue.map(Box.init) }
    }
    private var certificateBox: Box<CertificateExpiry>?

    public init(name: String, group: String, kind: ProbeKind, target: String, enabled: Bool = true, last: ProbeResult? = nil,
                stats: LatencySummary = LatencySummary(), history: [HistoryPoint] = [], verdictSince: Date? = nil,
                runningSince: Date? = nil, runs: Int = 0) {
        self.name = name; self.group = group; self.kind = kind; self.target = target; self.enabled = enabled
        self.lastBox = last.map(Box.init)
        self.lastVerdict = last?.verdict
        self.stats = stats; self.history = history; self.verdictSince = verdictSince; self.runningSince = runningSince; self.runs = runs
    }

    /// nil until the first result: "pending" is not a verdict.
    public var verdict: Verdict? { enabled ? lastVerdict : .skip }

    /// `verdict` as one byte (0: no result yet), for `Snapshot.verdictCodes`.
    public var verdictCode: UInt8 {
        switch verdict {
        case nil: 0
        case .pass?: 1
        case .fail?: 2
        case .hang?: 3
        case .error?: 4
        case .skip?: 5
        }
    }
}

/// A line of the event log: a verdict change, or a note.
public struct LogEntry: Sendable, Equatable {
    public var at: Date
    public var probe: String?
    public var from: Verdict?
    public var to: Verdict?
    public var failureClass: FailureClass?
    public var message: String
    /// Set on a WebSocket close's entry: the close panel lists those already, so the event pane can leave
    /// them out when it is shown and keep its lines for verdict changes (a burst of closes would bury them).
    public var closeCode: Int?

    public init(at: Date, probe: String? = nil, from: Verdict? = nil, to: Verdict? = nil, failureClass: FailureClass? = nil,
                message: String, closeCode: Int? = nil) {
        self.at = at; self.probe = probe; self.from = from; self.to = to; self.failureClass = failureClass; self.message = message
        self.closeCode = closeCode
    }
}

/// Counts per verdict. The pass rate is passed / (total − skipped): hangs, errors and
/// probes with no result yet stay in the denominator, so nothing is quietly left out.
public struct Summary: Sendable, Equatable, Codable {
    public var total: Int = 0
    public var passed: Int = 0
    public var failed: Int = 0
    public var hung: Int = 0
    public var errored: Int = 0
    public var skipped: Int = 0
    public var pending: Int = 0
    public var latencyAvgMs: Double?

    public init() {}

    public var counted: Int { total - skipped }
    public var passRate: Double? { counted == 0 ? nil : Double(passed) / Double(counted) }

    public init(probes: [ProbeState]) {
        var sum = 0.0, n = 0
        for p in probes {
            total += 1
            switch p.verdict {
            case .pass?: passed += 1
            case .fail?: failed += 1
            case .hang?: hung += 1
            case .error?: errored += 1
            case .skip?: skipped += 1
            case nil: pending += 1
            }
            if let avg = p.stats.avg, p.stats.samples > 0 { sum += avg * Double(p.stats.samples); n += p.stats.samples }
        }
        latencyAvgMs = n == 0 ? nil : sum / Double(n)
    }
}

/// An immutable picture of the whole store: what screens render and reports write.
public struct Snapshot: Sendable {
    public var configName: String
    public var targetHost: String
    public var insecure: Bool
    public var startedAt: Date
    /// The clock reading when the snapshot was taken; screens compute ages from it, never from a clock.
    public var takenAt: Date
    /// Completed full passes over every enabled probe.
    public var completedCycles: Int
    public var paused: Bool
    public var probes: [ProbeState] {
        // Kept true when a snapshot's probes are changed after it was made (tests, an attached view's merge).
        didSet { nearestCertificate = Self.nearest(probes); verdictCodes = nil }
    }
    /// Every probe's `verdictCode` in probe order, as the store keeps it: the very same array from snapshot
    /// to snapshot while no verdict changes, so the table can tell in one compare that its row order still
    /// holds (see StageUI's RowOrderCache). Nil when unknown (a snapshot built or changed outside a store).
    public var verdictCodes: [UInt8]?
    public var log: [LogEntry]
    /// Entries ever logged (the log keeps only the latest `Store.logLimit`).
    public var logTotal: Int
    public var closes: [CloseRecord]
    public var closeCounts: [Int: Int]
    public var activeStreams: [StreamProgress]
    public var watchdogs: [WatchdogFire]
    public var login: LoginState?
    /// Set when `--only`/`--skip` left probes of the config out: the pass rate is the subset's.
    public var subset: ProbeSubset?
    /// Sort keys made once per store (nil: the dashboard computes them).
    public var sortKeys: ProbeSortKeys?
    /// A problem of the run itself to show as a banner (a config reload that failed: the old config runs on).
    public var notice: String?
    /// Closed cycles, oldest first; the current cycle is `completedCycles + 1` with `cycleInProgress` probes reported.
    public var cycles: [CycleSummary]
    public var cycleInProgress: Int
    public var summary: Summary

    /// The certificate that ends soonest among the probes' hosts, for the header's warning. Found once per
    /// snapshot (`Snapshot.nearest`, again when `probes` changes), not on every render of the header: at
    /// 10,000 probes the walk was 3 % of a frame (perf).
    public var nearestCertificate: CertificateExpiry?

    static func nearest(_ probes: [ProbeState]) -> CertificateExpiry? {
        var best: CertificateExpiry?
        for p in probes where p.enabled {
            if let c = p.certificate, best.map({ c.notAfter < $0.notAfter }) ?? true { best = c }
        }
        return best
    }
    /// Bumped on every change, so the UI re-renders only when something changed.
    public var version: UInt64

    public init(configName: String, targetHost: String, insecure: Bool = false, startedAt: Date, takenAt: Date,
                completedCycles: Int = 0, paused: Bool = false, probes: [ProbeState], log: [LogEntry] = [], logTotal: Int? = nil,
                closes: [CloseRecord] = [], closeCounts: [Int: Int] = [:], activeStreams: [StreamProgress] = [],
                watchdogs: [WatchdogFire] = [], login: LoginState? = nil, cycles: [CycleSummary] = [], cycleInProgress: Int = 0,
                version: UInt64 = 0) {
        self.configName = configName; self.targetHost = targetHost; self.insecure = insecure; self.startedAt = startedAt
        self.takenAt = takenAt; self.completedCycles = completedCycles; self.paused = paused; self.probes = probes
        self.log = log; self.logTotal = logTotal ?? log.count
        self.closes = closes; self.closeCounts = closeCounts; self.activeStreams = activeStreams; self.watchdogs = watchdogs
        self.login = login; self.cycles = cycles; self.cycleInProgress = cycleInProgress; self.summary = Summary(probes: probes); self.version = version
        nearestCertificate = Self.nearest(probes)
    }

    public func probe(named name: String) -> ProbeState? { probes.first { $0.name == name } }
}

/// An immutable box for a bulky part of a probe's state (see `ProbeState.last`).
final class Box<Value: Sendable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
