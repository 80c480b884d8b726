import Foundation
import StageModel
import StageUI

/// Deterministic synthetic dashboards for the render benchmark (RenderBench.swift) and the StageUI tests
/// that need many probes: render + diff time and bytes changed per steady-state frame, without a terminal.
/// Not part of StageUI: the library ships no fixtures. The tests compile this same file through the
/// symlink Tests/StageUITests/Fixtures/SyntheticDashboard.swift, so there is one builder and no copy.
///
///     var session = SyntheticDashboard.Session(probes: 1000, width: 200, height: 60)
///     for _ in 0..<1000 {
///         session.advance()                  // next snapshot: +100 ms, now and then a new result
///         let t0 = ContinuousClock.now
///         let stats = session.renderFrame()   // render into a back buffer + diff against the front (timed part)
///         record(ContinuousClock.now - t0, stats.changedBytes, stats.fullBytes)
///     }
enum SyntheticDashboard {
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    /// A snapshot of `probes` synthetic probes in 10 groups, mostly passing, some failing, hung, erroring
    /// or running, each with `history` history points (30 unless told); `tick` moves time by 100 ms per tick.
    static func snapshot(probes n: Int, tick: Int = 0, history: Int = 30, logEntries: Int = 20) -> Snapshot {
        let now = epoch.addingTimeInterval(3600 + Double(tick) * 0.1)
        let probes = (0..<max(0, n)).map { i in probe(i, now: now, generation: 0, history: history) }
        let log = (0..<logEntries).map { k in
            LogEntry(at: now.addingTimeInterval(Double(k - 20)), probe: "probe_\(k)", from: .pass, to: .fail,
                     failureClass: .server, message: "500 Internal Server Error")
        }
        return Snapshot(configName: "bench-staging", targetHost: "api.staging.example.com", startedAt: epoch, takenAt: now,
                        completedCycles: 42, probes: probes, log: log, logTotal: log.count, version: UInt64(tick))
    }

    static func probe(_ i: Int, now: Date, generation: Int, history points: Int = 30) -> ProbeState {
        let kinds = ProbeKind.allCases
        let verdict: Verdict = i % 25 == 3 ? .fail : i % 50 == 7 ? .hang : i % 97 == 11 ? .error : .pass
        let latency = verdict == .hang ? nil : Optional(40 + Double((i * 37 + generation * 11) % 400) + 0.3)
        let cls: FailureClass? = verdict == .fail ? .server : verdict == .hang ? .hang : verdict == .error ? .network : nil
        let finished = now.addingTimeInterval(-Double(i % 30) - 0.5)
        let result = ProbeResult(probe: "probe_\(i)", kind: kinds[i % kinds.count], verdict: verdict, failureClass: cls,
                                 message: verdict == .pass ? "200 OK" : verdict == .fail ? "500 Internal Server Error" : "no data for 10.0 s",
                                 status: verdict == .fail ? 500 : 200, latencyMs: latency,
                                 startedAt: finished.addingTimeInterval(-(latency ?? 0) / 1000), finishedAt: finished)
        let history = (0..<points).map { k in
            HistoryPoint(at: finished.addingTimeInterval(Double(k - points) * 10), verdict: k % 13 == 0 && verdict != .pass ? verdict : .pass,
                         latencyMs: 40 + Double((i + k * 17) % 300))
        }
        return ProbeState(name: "probe_\(i)", group: "group_\(i % 10)", kind: kinds[i % kinds.count], target: "GET /api/p/\(i)",
                          last: result, stats: LatencySummary(last: latency, avg: 120.5, p50: 110.2, p95: 290.7, p99: 380.1, samples: 30 + generation),
                          history: history, verdictSince: finished.addingTimeInterval(-600),
                          runningSince: i % 40 == 5 ? now.addingTimeInterval(-4.2) : nil, runs: 30 + generation)
    }

    /// One full frame of `probes` probes at `width`x`height` (the main screen, default theme, 256 colours).
    static func frame(probes: Int, width: Int, height: Int, tick: Int = 0) -> Buffer {
        var view = ViewState()
        return Renderer(depth: .c256).frame(snapshot(probes: probes, tick: tick), view: &view, width: width, height: height)
    }

    /// What one frame changed compared with the previous one.
    struct FrameStats: Sendable, Equatable {
        var runs: Int
        var changedCells: Int
        /// UTF-8 bytes of the changed cells' graphemes.
        var changedBytes: Int
        /// UTF-8 bytes of a full repaint of the frame.
        var fullBytes: Int
        var changedFraction: Double { fullBytes == 0 ? 0 : Double(changedBytes) / Double(fullBytes) }
    }

    /// A running dashboard: a snapshot that evolves like a steady staging (time passes, one probe at a
    /// time gets a new result) and the front buffer of the previous frame.
    struct Session: Sendable {
        private(set) var snapshot: Snapshot
        private(set) var view: ViewState
        private(set) var front: Buffer
        let renderer: Renderer
        let width: Int
        let height: Int
        private var tick = 0

        init(probes: Int, width: Int, height: Int, renderer: Renderer = Renderer(depth: .c256)) {
            self.width = width; self.height = height; self.renderer = renderer
            snapshot = SyntheticDashboard.snapshot(probes: probes)
            // As a store does: names and groups ranked once, carried by every snapshot.
            snapshot.sortKeys = ProbeSortKeys(snapshot.probes)
            snapshot.verdictCodes = snapshot.probes.map(\.verdictCode)
            view = ViewState()
            front = Buffer(width: width, height: height)
            front = renderer.frame(snapshot, view: &view, width: width, height: height)
        }

        /// The next snapshot, 100 ms later; every 5th tick one probe (round robin) records a new result
        /// with the same verdict and a new latency, as a healthy steady state does.
        mutating func advance() {
            tick += 1
            let keys = snapshot.sortKeys
            var codes = snapshot.verdictCodes
            var probes = snapshot.probes
            let now = snapshot.takenAt.addingTimeInterval(0.1)
            if tick % 5 == 0, !probes.isEmpty {
                let i = (tick / 5) % probes.count
                var p = SyntheticDashboard.probe(i, now: now, generation: tick)
                p.history = Array((probes[i].history + [HistoryPoint(at: now, verdict: p.verdict ?? .pass, latencyMs: p.last?.latencyMs)]).suffix(30))
                probes[i] = p
                // As a store does: a verdict's code is written only when it changes.
                if let c = codes?[i], c != p.verdictCode { codes?[i] = p.verdictCode }
            }
            snapshot = Snapshot(configName: snapshot.configName, targetHost: snapshot.targetHost, startedAt: snapshot.startedAt,
                                takenAt: now, completedCycles: snapshot.completedCycles, probes: probes, log: snapshot.log,
                                version: snapshot.version &+ 1)
            snapshot.sortKeys = keys
            snapshot.verdictCodes = codes
        }

        /// Renders the current snapshot into a new back buffer, diffs it against the front buffer and
        /// makes it the front: the work one UI frame does (minus the terminal writes).
        mutating func renderFrame() -> FrameStats {
            let back = renderer.frame(snapshot, view: &view, width: width, height: height)
            let runs = back.diff(from: front)
            front = back
            return FrameStats(runs: runs.count, changedCells: runs.cellCount, changedBytes: runs.byteCount, fullBytes: back.byteCount)
        }
    }
}
