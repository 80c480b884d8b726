import Foundation
import StageModel
import StageProbes
import StageReports
import StageUI

/// `watch --attach URL …`: the dashboard driven by agents instead of local probes. Each agent's state
/// document is fetched, then its event stream followed; any event marks the state stale and it is fetched
/// again (at most 4 times a second), so the screen shows exactly the agent's figures.
///
/// With several agents, each probe is shown as `LOCATION/name` and the title gives the pass rate per
/// location. A lost agent keeps its last rows, ages counting on (the snapshot's time is now, its results
/// are as old as they are), under a banner; it is tried again with backoff (0.5 s doubling to 10 s).
public final class AttachSource: DashboardSource, @unchecked Sendable {  // UI thread, but for the links
    let links: [AgentLink]
    private let engine = CurlEngine()
    private var tasks: [Task<Void, Never>] = []

    public init(urls: [String], token: String?) {
        let engine = engine
        links = urls.map { AgentLink(client: AgentClient(baseURL: $0, token: token, engine: engine)) }
        tasks = links.map { link in Task { await link.run() } }
    }

    /// Stops following the agents.
    public func shutdown() async {
        for t in tasks { t.cancel() }
        for l in links { l.stop() }
        for t in tasks { await t.value }
        engine.shutdown()
    }

    /// Moves whenever any agent's state or connection does, and every second while one is lost (the banner's age).
    public var version: UInt64 {
        let v = links.reduce(UInt64(0)) { $0 &+ $1.version }
        let lost = links.contains { $0.current.lostSince != nil }
        return lost ? v &+ UInt64(Date().timeIntervalSince1970) : v
    }

    public func snapshot() -> Snapshot {
        AttachSource.merge(links.map(\.current), now: Date())
    }

    /// News from any agent (its log grew) or of our own (a note): drawn at once, as on a live dashboard.
    public var logTotal: Int? {
        links.reduce(0) { n, link in
            let s = link.current
            return n + (s.snapshot?.logTotal ?? 0) + s.notes.count
        }
    }

    public var replayStatus: ReplayStatus? { nil }
    public func perform(_ command: ReplayCommand) {}
    public func tick(elapsed: TimeInterval) {}

    public func perform(_ command: Command, snapshot: Snapshot) {
        let several = links.count > 1
        switch command {
        case .rerun(let shown):
            for (link, name) in route(shown, several: several) {
                Task { link.reportRefusal(await link.client.post("/api/v1/run?probe=\(Self.query(name))"), action: "re-run") }
            }
        case .rerunAll:
            for link in links { Task { link.reportRefusal(await link.client.post("/api/v1/run"), action: "re-run") } }
        case .togglePause:
            let paused = !snapshot.paused
            for link in links { Task { link.reportRefusal(await link.client.post("/api/v1/pause?paused=\(paused)"), action: "pause") } }
        case .nextScenario, .quit, .nextTheme:
            break
        }
    }

    /// Which agent a shown probe name belongs to (`LOCATION/name` with several agents).
    func route(_ shown: String, several: Bool) -> [(AgentLink, String)] {
        guard several else { return links.map { ($0, shown) } }
        for link in links {
            let prefix = link.current.label + "/"
            if shown.hasPrefix(prefix) { return [(link, String(shown.dropFirst(prefix.count)))] }
        }
        return []
    }

    static func query(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=?+"))) ?? s }

    /// One snapshot of every agent: one agent's as it is; several side by side, names prefixed by location.
    static func merge(_ states: [AgentLink.State], now: Date) -> Snapshot {
        let known = states.compactMap { s in s.snapshot.map { (s, $0) } }
        var banners: [String] = []
        for s in states {
            if let since = s.lostSince {
                banners.append("agent \(s.label) lost \(Format.uptime(now.timeIntervalSince(since))) ago (\(s.reason ?? "?")); retrying, its rows are its last data")
            } else if s.snapshot == nil {
                banners.append("connecting to \(s.label)…")
            }
        }
        var merged: Snapshot
        if known.count <= 1 && states.count == 1 {
            merged = known.first?.1 ?? Snapshot(configName: states.first?.label ?? "attach", targetHost: "", startedAt: now, takenAt: now, probes: [])
        } else {
            var probes: [ProbeState] = []
            var log: [LogEntry] = []
            var closes: [CloseRecord] = []
            var closeCounts: [Int: Int] = [:]
            var rates: [String] = []
            for (s, snap) in known {
                for var p in snap.probes {
                    p.name = "\(s.label)/\(p.name)"
                    probes.append(p)
                }
                log += snap.log.map { e in var e = e; e.probe = e.probe.map { "\(s.label)/\($0)" }; return e }
                closes += snap.closes.map { c in var c = c; c.probe = "\(s.label)/\(c.probe)"; return c }
                closeCounts.merge(snap.closeCounts) { $0 + $1 }
                let sum = snap.summary
                rates.append("\(s.label) \(sum.passed)/\(sum.counted)")
            }
            log.sort { $0.at < $1.at }
            closes.sort { $0.at < $1.at }
            let title = rates.joined(separator: " · ")
            merged = Snapshot(configName: title.isEmpty ? "\(states.count) agents" : title, targetHost: "\(states.count) agents",
                              startedAt: known.map(\.1.startedAt).min() ?? now, takenAt: now,
                              completedCycles: known.map(\.1.completedCycles).min() ?? 0, paused: known.contains { $0.1.paused },
                              probes: probes, log: Array(log.suffix(Store.logLimit)), logTotal: known.map(\.1.logTotal).reduce(0, +),
                              closes: Array(closes.suffix(Store.closeLimit)), closeCounts: closeCounts)
            merged.sortKeys = ProbeSortKeys(probes)
        }
        let notes = states.flatMap(\.notes)
        if !notes.isEmpty {
            merged.log = (merged.log + notes).sorted { $0.at < $1.at }
            merged.logTotal += notes.count
        }
        // Ages are measured to now: data from a lost agent grows old on screen, never looks fresh.
        merged.takenAt = now
        if !banners.isEmpty { merged.notice = banners.joined(separator: " · ") }
        merged.version = states.reduce(0) { $0 &+ $1.version }
        return merged
    }
}

/// One agent followed: its latest state, whether it is reachable, and the loop that keeps both current.
final class AgentLink: Sendable {
    struct State: Sendable {
        var label: String
        var snapshot: Snapshot?
        var lostSince: Date?
        var reason: String?
        var version: UInt64 = 0
        /// Lines of our own for the event log (a refused re-run), kept across refetches.
        var notes: [LogEntry] = []
    }

    let client: AgentClient
    private let state: Locked<State>
    private let stale = Locked(false)
    private let stopped = Locked(false)

    init(client: AgentClient) {
        self.client = client
        let host = URLComponents(string: client.baseURL).map { "\($0.host ?? "?")\($0.port.map { ":\($0)" } ?? "")" } ?? client.baseURL
        state = Locked(State(label: host))
    }

    var current: State { state.withLock { $0 } }
    var version: UInt64 { state.withLock { $0.version } }

    func stop() { stopped.withLock { $0 = true } }

    /// Fetch, follow, and on any failure wait and start again, until cancelled.
    func run() async {
        var backoff = 0.5
        while !Task.isCancelled, !stopped.withLock({ $0 }) {
            switch await client.state() {
            case .success(let (body, lastID)):
                guard apply(body) else { lost("not a stagetop agent's state"); break }
                backoff = 0.5
                // Events mark the state stale; a refresher fetches it again at most 4 times a second.
                let refresher = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(250))
                        guard stale.withLock({ let s = $0; $0 = false; return s }) else { continue }
                        if case .success(let (body, _)) = await client.state() { _ = apply(body) }
                    }
                }
                let end = await withTaskCancellationHandler {
                    await client.follow(after: lastID) { [self] _, _ in stale.withLock { $0 = true } }
                } onCancel: { refresher.cancel() }
                refresher.cancel()
                lost(end.description)
            case .failure(let f):
                lost(f.description)
            }
            try? await Task.sleep(for: .milliseconds(Int(backoff * 1000)))
            backoff = min(backoff * 2, 10)
        }
    }

    private func apply(_ body: [UInt8]) -> Bool {
        guard let doc = try? StateDocument.decode(Data(body)) else { return false }
        state.withLock { s in
            s.snapshot = doc.snapshot
            if let location = doc.location { s.label = location }
            s.lostSince = nil
            s.reason = nil
            s.version &+= 1
        }
        return true
    }

    private func lost(_ reason: String) {
        state.withLock { s in
            if s.lostSince == nil { s.lostSince = Date() }
            s.reason = reason
            s.version &+= 1
        }
    }

    /// A refused re-run or pause (a read-only agent answers 403) goes to the banner's reason line.
    func reportRefusal(_ status: Int?, action: String) {
        guard let status, status == 403 || status == 401 else { return }
        state.withLock { s in
            s.notes.append(LogEntry(at: Date(), message: "\(s.label) refused \(action): \(status == 403 ? "the agent is read-only (--read-only)" : "not authorised")"))
            s.version &+= 1
        }
    }
}
