import Foundation
import StageModel

/// A stream probe's detail: its timeline of events, then the body's timing — live meters against the
/// watchdog's limits while it runs, first body byte, chunks, longest gap and the watchdog that ended it.
/// The request is HTTP, so the HTTP exchange follows the conditions.
struct StreamDetailSection {
    let screen: DetailScreen

    func detail(width: Int, view: ViewState) -> KindDetail {
        KindDetail(sections: screen.timelineItems(width: width) + streamItems(width: width, view: view),
                   exchange: HTTPDetailSection(screen: screen).exchange(width: width, view: view))
    }

    func streamItems(width: Int, view: ViewState) -> [DetailScreen.Item] {
        let probe = screen.probe, snapshot = screen.snapshot, r = screen.r
        let live = snapshot.activeStreams.first { $0.probe == probe.name }
        let info = probe.last?.stream
        guard live != nil || info != nil else { return [] }
        var out: [DetailScreen.Item] = [.line(Line()), .line(Line("Stream", r.style(.detailLabel)))]
        func add(_ spans: [Span]) { out.append(.line(Line(spans))) }
        if let live {
            let now = snapshot.takenAt
            add([screen.sub("running"), screen.text(Format.elapsed(now.timeIntervalSince(live.startedAt))),
                 screen.dim("   \(live.events) events, " + TextFormat.bytes(live.bytes) + " so far")])
            for m in live.meters(now: now) {
                let style = r.style(m.role)
                let figures = TextWidth.fit(m.figures + (m.isOver ? " over" : ""), width: 16)
                out.append(.bar(Line([screen.dim("    " + TextWidth.fit(m.label, width: 11)), Span(figures + " ", m.isOver ? style.adding(.bold) : style)]),
                                Bar(length: m.limitMs.map { min(m.elapsedMs, $0) } ?? 0, scale: m.limitMs ?? 1, glyphs: r.glyphs, style: style,
                                    emptyStyle: r.style(.text))))
            }
        }
        if let info {
            add([screen.sub("first body byte"), screen.text(Format.latency(info.firstByteMs)),
                 screen.dim("   chunks "), screen.text("\(info.chunks)"), screen.dim("   bytes "), screen.text(TextFormat.bytes(info.bytes)),
                 screen.dim("   longest gap "), screen.text(Format.latency(info.longestGapMs))])
            let names = TextWidth.wrap(Self.eventRuns(info.events), width: max(1, width - 10))
            for (k, l) in names.prefix(3).enumerated() { add([k == 0 ? screen.sub("events") : Span("         "), screen.text(l)]) }
            if names.count > 3 { add([Span("         "), screen.dim("… \(info.events.count) events in all")]) }
            if let fire = info.watchdog {
                var spans = [screen.sub("watchdog"), Span(fire.limit.rawValue, r.style(.statusHang).adding(.bold)), screen.text("  " + fire.message)]
                spans.append(screen.dim("  at " + TextFormat.clock(fire.at, zone: view.timeZone)
                    + (fire.lateByMs >= 0.05 ? ", fired " + Format.latency(fire.lateByMs) + " late" : "")))
                add(spans)
            }
        }
        return out
    }

    /// SSE event names with repeats collapsed: `agent_started · message×3 · agent_completed`.
    static func eventRuns(_ events: [String]) -> String {
        var runs: [(String, Int)] = []
        for e in events {
            if let last = runs.last, last.0 == e { runs[runs.count - 1].1 += 1 } else { runs.append((e, 1)) }
        }
        return runs.map { $0.1 > 1 ? "\($0.0)×\($0.1)" : $0.0 }.joined(separator: " · ")
    }
}
