import Foundation

/// The reducer: applies probe events to per-probe state. A value type; `SharedStore` makes it thread-safe.
public struct Store: Sendable {
    public static let historyLimit = 120
    public static let logLimit = 500

    public private(set) var configName: String
    public private(set) var targetHost: String
    public private(set) var insecure: Bool
    public private(set) var startedAt: Date
    public private(set) var probes: [ProbeState]
    public private(set) var log: [LogEntry] = []
    /// Entries ever logged, including those the bound dropped: readers use it to find what is new.
    public private(set) var logTotal = 0
    public private(set) var version: UInt64 = 0
    public var paused = false { didSet { version &+= 1 } }
    public static let closeLimit = 200
    public static let watchdogLimit = 50
    /// Recent WebSocket closes, oldest first, and how many of each code since start.
    public private(set) var closes: [CloseRecord] = []
    public private(set) var closeCounts: [Int: Int] = [:]
    /// Streams in flight by probe, for the live watchdog panel.
    public private(set) var activeStreams: [String: StreamProgress] = [:]
    public private(set) var watchdogs: [WatchdogFire] = []
    public private(set) var login: LoginState?
    /// `--only`/`--skip`: the run watches part of its config.
    public var subset: ProbeSubset?
    /// Shown as a banner until cleared (a failed config reload).
    public var notice: String? { didSet { version &+= 1 } }
    private var stats: [LatencyStats]
    /// Probes whose latency summary is stale: percentiles walk the histogram, so they are computed when a
    /// snapshot is taken, not on every result (replaying an hour of results would otherwise take seconds).
    private var statsDirty = DirtyProbes()
    private var cycles: CycleTracker
    private var index: [String: Int]
    /// Probes never change order or names in a store: their sort keys are made once.
    private var sortKeys: ProbeSortKeys
    /// Each probe's `verdictCode`, written only when it changes, so snapshots share one array while no
    /// verdict changes (`Snapshot.verdictCodes`).
    private var verdictCodes: [UInt8]

    public init(config: StageConfig, startedAt: Date) {
        configName = config.name
        targetHost = URLComponents(string: config.target.baseURL)?.host ?? config.target.baseURL
        insecure = config.target.tls.insecure
        self.startedAt = startedAt
        // A secret expanded into a path (a token in a query) must not reach the table or a recording.
        let scrubber = SecretScrubber(secrets: config.secrets)
        probes = config.probes.map { spec in
            ProbeState(name: spec.name, group: spec.group, kind: spec.kind, target: scrubber.scrub(Store.describeTarget(spec)), enabled: spec.enabled)
        }
        stats = Array(repeating: LatencyStats(), count: probes.count)
        index = Dictionary(probes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        cycles = CycleTracker(names: probes.map(\.name), enabled: probes.map(\.enabled), startedAt: startedAt)
        sortKeys = ProbeSortKeys(probes)
        verdictCodes = probes.map(\.verdictCode)
        subset = config.subset
    }

    /// A store for probes known only by their display facts (replaying a recording, no config at hand).
    public init(configName: String, targetHost: String, insecure: Bool, startedAt: Date, probes: [ProbeState]) {
        self.configName = configName
        self.targetHost = targetHost
        self.insecure = insecure
        self.startedAt = startedAt
        self.probes = probes
        stats = Array(repeating: LatencyStats(), count: probes.count)
        index = Dictionary(probes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        cycles = CycleTracker(names: probes.map(\.name), enabled: probes.map(\.enabled), startedAt: startedAt)
        sortKeys = ProbeSortKeys(probes)
        verdictCodes = probes.map(\.verdictCode)
    }

    static func describeTarget(_ spec: ProbeSpec) -> String { spec.body.kindSpec.targetDescription }

    /// Applies one event; returns the cycle it closed, if any (recorders mark the boundary).
    @discardableResult
    public mutating func apply(_ event: ProbeEvent) -> CycleSummary? {
        var closedCycle: CycleSummary?
        switch event {
        case .started(let name, let at):
            guard let i = index[name] else { return nil }
            probes[i].runningSince = at
            probes[i].journeyStep = nil
        case .journeyStep(let progress):
            guard let i = index[progress.probe] else { return nil }
            probes[i].journeyStep = progress
        case .finished(let result):
            guard let i = index[result.probe] else { return nil }
            closedCycle = record(result, at: i)
        case .note(let message, let at):
            appendLog(LogEntry(at: at, message: message))
        case .closed(let record):
            closes.append(record)
            if closes.count > Store.closeLimit { closes.removeFirst(closes.count - Store.closeLimit) }
            closeCounts[record.code, default: 0] += 1
            appendLog(LogEntry(at: record.at, probe: record.probe,
                               message: "closed \(record.code) (\(record.codeName))\(record.reason.isEmpty ? "" : ": " + record.reason)",
                               closeCode: record.code))
        case .connection(let name, let info):
            guard let i = index[name] else { return nil }
            probes[i].connection = info
        case .streamProgress(let progress):
            activeStreams[progress.probe] = progress
        case .login(let state):
            if state.phase != login?.phase || state.message != login?.message {
                appendLog(LogEntry(at: state.at, message: state.phase == .failed ? "login failed: \(state.message)" : "login \(state.phase.rawValue)"))
            }
            login = state
        }
        version &+= 1
        return closedCycle
    }

    private mutating func record(_ result: ProbeResult, at i: Int) -> CycleSummary? {
        let previous = probes[i].last?.verdict
        if let ms = result.latencyMs { stats[i].record(ms: ms); statsDirty.insert(i, of: probes.count) }
        probes[i].last = result
        let code = probes[i].verdictCode
        if verdictCodes[i] != code { verdictCodes[i] = code }
        probes[i].runningSince = nil
        probes[i].journeyStep = nil
        probes[i].runs += 1
        if !activeStreams.isEmpty { activeStreams[result.probe] = nil }
        if let info = result.websocket { probes[i].connection = info }
        if let cert = result.certificate { probes[i].certificate = cert }
        if let fire = result.stream?.watchdog {
            watchdogs.append(fire)
            if watchdogs.count > Store.watchdogLimit { watchdogs.removeFirst(watchdogs.count - Store.watchdogLimit) }
        }
        // The whole history's room at the first result: growing it by doubling as it filled (over up to an
        // hour at long intervals) was most of the agent's RSS growth in the soak. A copy made while a
        // snapshot shares the array keeps this capacity.
        if probes[i].history.capacity < Store.historyLimit + 1 { probes[i].history.reserveCapacity(Store.historyLimit + 1) }
        probes[i].history.append(HistoryPoint(at: result.finishedAt, verdict: result.verdict, latencyMs: result.latencyMs))
        if probes[i].history.count > Store.historyLimit { probes[i].history.removeFirst(probes[i].history.count - Store.historyLimit) }
        if previous != result.verdict {
            probes[i].verdictSince = result.finishedAt
            // A first pass is not news; a first failure is, and so is every change after.
            if previous != nil || result.verdict != .pass {
                appendLog(LogEntry(at: result.finishedAt, probe: result.probe, from: previous, to: result.verdict,
                                   failureClass: result.failureClass, message: result.message))
            }
        }
        let closedCycle = cycles.record(result, at: i)
        if let cycle = closedCycle {
            let delta = cycle.flips.isEmpty ? "no flips" : cycle.flips.map { "\($0.probe) \($0.from?.rawValue ?? "new")→\($0.to.rawValue)" }.joined(separator: ", ")
            appendLog(LogEntry(at: cycle.finishedAt, message: "cycle \(cycle.number) done: \(cycle.ratio) (\(Format.percent(cycle.passRate))); \(delta)"))
        }
        return closedCycle
    }

    private mutating func appendLog(_ entry: LogEntry) {
        log.append(entry)
        logTotal += 1
        if log.count > Store.logLimit { log.removeFirst(log.count - Store.logLimit) }
    }

    /// After a config reload: probes whose spec did not change keep everything (last result, history,
    /// latency stats, runs); the event log, closes, watchdog fires and login carry over; cycle numbers go
    /// on, the cycle in progress starting again with the new set of probes.
    public mutating func carryOver(from old: Store, unchanged: Set<String>) {
        for (i, p) in probes.enumerated() where unchanged.contains(p.name) {
            guard let j = old.index[p.name] else { continue }
            probes[i] = old.probes[j]
            stats[i] = old.stats[j]
            statsDirty.insert(i, of: probes.count)
            verdictCodes[i] = probes[i].verdictCode
        }
        startedAt = old.startedAt
        log = old.log
        logTotal = old.logTotal
        closes = old.closes
        closeCounts = old.closeCounts
        watchdogs = old.watchdogs
        login = old.login
        paused = old.paused
        cycles.continueNumbering(after: old.cycles)
        version = old.version &+ 1
    }

    /// Full passes completed (a cycle closes when every enabled probe has reported since it began).
    public var completedCycles: Int { cycles.number - 1 }

    /// Brings the stored latency summaries up to date (cheap when nothing changed).
    public mutating func refreshStats() {
        for i in statsDirty.indices { probes[i].stats = stats[i].summary }
        statsDirty.removeAll()
    }

    public func snapshot(at now: Date) -> Snapshot {
        var probes = self.probes
        for i in statsDirty.indices { probes[i].stats = stats[i].summary }
        var snapshot = Snapshot(configName: configName, targetHost: targetHost, insecure: insecure, startedAt: startedAt, takenAt: now,
                 completedCycles: completedCycles, paused: paused, probes: probes, log: log, logTotal: logTotal,
                 closes: closes, closeCounts: closeCounts, activeStreams: activeStreams.values.sorted { $0.startedAt < $1.startedAt },
                 watchdogs: watchdogs, login: login, cycles: cycles.closed, cycleInProgress: cycles.inProgress, version: version)
        snapshot.subset = subset
        snapshot.notice = notice
        snapshot.sortKeys = sortKeys
        snapshot.verdictCodes = verdictCodes
        return snapshot
    }
}

/// Probe indices marked since the last refresh, each once. Foundation's `IndexSet` behind a value was an
/// `NSMutableIndexSet` insert per result (perf).
struct DirtyProbes: Sendable {
    private var marked: [Bool] = []
    private(set) var indices: [Int] = []

    mutating func insert(_ i: Int, of count: Int) {
        if marked.count < count { marked += Array(repeating: false, count: count - marked.count) }
        guard !marked[i] else { return }
        marked[i] = true
        indices.append(i)
    }

    mutating func removeAll() {
        for i in indices { marked[i] = false }
        indices.removeAll(keepingCapacity: true)
    }
}

/// The store shared between runner tasks (writers) and the UI loop / reports (readers).
public final class SharedStore: Sendable {
    private let state: Locked<Store>
    private let clock: any WallClock
    /// Called (outside the lock) after an event grew the log: news for a dashboard waiting on it.
    private let newsHandler = Locked<(@Sendable () -> Void)?>(nil)

    public init(config: StageConfig, clock: any WallClock = SystemClock()) {
        self.clock = clock
        state = Locked(Store(config: config, startedAt: clock.now()))
    }

    /// A shared store holding `store` (a reloaded config's, carried over from the old one).
    public init(_ store: Store, clock: any WallClock = SystemClock()) {
        self.clock = clock
        state = Locked(store)
    }

    /// The store as it is now (a copy).
    public var value: Store { state.withLock { $0 } }

    @discardableResult
    public func apply(_ event: ProbeEvent) -> CycleSummary? {
        let (closed, news) = state.withLock { store -> (CycleSummary?, Bool) in
            let before = store.logTotal
            let closed = store.apply(event)
            return (closed, store.logTotal != before)
        }
        if news { ringNews() }
        return closed
    }

    /// Calls `handler` whenever the log grows (a verdict change, a close, a note); nil stops it. One at a time.
    public func onNews(_ handler: (@Sendable () -> Void)?) {
        newsHandler.withLock { $0 = handler }
    }

    public func setPaused(_ paused: Bool) { state.withLock { $0.paused = paused } }

    public func setNotice(_ notice: String?) {
        state.withLock { $0.notice = notice }
        ringNews()
    }

    private func ringNews() {
        newsHandler.withLock { $0 }?()
    }

    public var version: UInt64 { state.withLock { $0.version } }

    /// Log entries ever written: news (a verdict change, a close) when it moves.
    public var logTotal: Int { state.withLock { $0.logTotal } }

    public func snapshot() -> Snapshot {
        let now = clock.now()
        return state.withLock { store in
            store.refreshStats()
            return store.snapshot(at: now)
        }
    }
}
