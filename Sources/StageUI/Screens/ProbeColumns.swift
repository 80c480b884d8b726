import Foundation
import StageModel

/// What a probe row's cells are made from, worked out once per row and shared by its columns.
struct ProbeRowValues {
    let probe: ProbeState
    let status: DisplayStatus
    let statusStyle: Style
    /// The stream in flight for this probe, if any.
    let live: StreamProgress?
    /// Past one of its limits while in flight: the watchdog is about to fire.
    let overdue: Bool
}

/// The probe table's columns in display order, each with its cell. Priorities decide what goes first on
/// narrow terminals: the sparkline, then avg, p95, kind and age; status, name, code, last latency, class
/// and message always stay.
struct ProbeColumns {
    let r: Renderer
    let snapshot: Snapshot
    let view: ViewState

    var now: Date { snapshot.takenAt }

    func values(_ p: ProbeState) -> ProbeRowValues {
        let status = DisplayStatus(p.verdict)
        let live = snapshot.activeStreams.first { $0.probe == p.name }
        return ProbeRowValues(probe: p, status: status, statusStyle: r.style(status.role), live: live,
                              overdue: live.map { $0.overLimit(now: now) != nil } ?? false)
    }

    func columns(nameMax: Int) -> [Column<ProbeRowValues>] {
        // Measured once per frame, not once per row (perf: 2 % of a 10,000-probe frame).
        let statusWidth = r.glyphs.statusWidth
        let text = r.style(.text), bold = r.style(.text).adding(.bold)
        return [
            Column("STATUS", .fixed(statusWidth + 1 + 7), priority: 1000) { v in
                .text(TextWidth.fit(r.glyphs.status(v.status), width: statusWidth) + " " + v.status.word, v.statusStyle)
            },
            Column("NAME", .flex(min: 16, max: max(16, nameMax)), priority: 900) { v in
                .text(v.probe.name, v.status.isProblem ? bold : text)
            },
            Column("KIND", .fixed(6), priority: 40) { v in
                .text(v.probe.kind == .websocket ? "ws" : v.probe.kind.rawValue, r.style(.textDim))
            },
            Column("CODE", .fixed(4), align: .right, priority: 800, cell: code),
            Column("LAST", .fixed(7), align: .right, priority: 700, cell: last),
            Column("AVG", .fixed(7), align: .right, priority: 30) { v in
                .text(Format.latency(v.probe.stats.avg), latencyStyle(v.probe.stats.avg))
            },
            Column("P95", .fixed(7), align: .right, priority: 35) { v in
                .text(Format.latency(v.probe.stats.p95), latencyStyle(v.probe.stats.p95))
            },
            Column("TREND", .fixed(12), priority: 10, cell: trend),
            Column("CLASS", .fixed(14), priority: 600) { v in
                .text(ProbeRows.failureClass(v.probe)?.rawValue ?? "", v.statusStyle)
            },
            Column("AGE", .fixed(12), priority: 50, cell: age),
            Column("MESSAGE", .flex(min: 20, max: nil), priority: 500) { v in
                .text(RowText.message(v.probe, now: now, glyphs: r.glyphs), v.status.isProblem ? r.style(.text) : r.style(.textDim))
            },
        ]
    }

    func latencyStyle(_ ms: Double?) -> Style {
        guard let ms else { return r.style(.textDim) }
        return r.style(ms >= view.latencyBadMs ? .latencyBad : ms >= view.latencyWarnMs ? .latencyWarn : .latencyGood)
    }

    /// CODE: what `ShownCode` (StageModel/Rules/ShownCode.swift) says the probe shows — a close code
    /// (1008/1011 in their colours), a refused handshake's or an HTTP status, a burst's commonest status.
    func code(_ v: ProbeRowValues) -> TableCell {
        guard let code = ShownCode(v.probe) else { return .empty }
        if case .close(let close) = code {
            let role: Role = switch close {
            case 1008: .closecodePolicy
            case 1011: .closecodeInternal
            case 1000, 1001: .closecodeNormal
            default: v.status.isProblem ? v.status.role : .text
            }
            return .text(String(close), r.style(role))
        }
        return .text(String(code.number), v.status.isProblem ? v.statusStyle : r.style(.text))
    }

    /// LAST: the last run's latency. A stream in flight shows how long it has been going instead, and
    /// turns the hang colour as soon as it is past a limit, before the watchdog's verdict arrives.
    func last(_ v: ProbeRowValues) -> TableCell {
        guard let live = v.live else {
            let last = v.probe.last?.latencyMs
            return .text(Format.latency(last), latencyStyle(last))
        }
        let style = r.style(v.overdue ? .statusHang : .statusPending)
        return .text(Format.elapsed(now.timeIntervalSince(live.startedAt)), v.overdue ? style.adding(.bold) : style)
    }

    /// TREND: the last 12 runs' latencies, problems in their verdict's colour.
    func trend(_ v: ProbeRowValues) -> TableCell {
        let history = v.probe.history.suffix(12)
        return .sparkline(Sparkline(
            values: history.map(\.latencyMs),
            styles: history.map { h in
                let s = DisplayStatus(h.verdict)
                return s.isProblem ? r.style(s.role) : latencyStyle(h.latencyMs)
            },
            levels: r.glyphs.spark, missing: r.glyphs.sparkMissing))
    }

    /// AGE: how long ago the last result came, or how long the run in flight has been going.
    func age(_ v: ProbeRowValues) -> TableCell {
        if let live = v.live {
            return .text("running " + Format.shortElapsed(now.timeIntervalSince(live.startedAt)), r.style(v.overdue ? .statusHang : .statusPending))
        }
        if let step = v.probe.journeyStep, let running = v.probe.runningSince {
            // A journey in flight: which step of how many, as the reports' "2/3".
            return .text("\(step.step)/\(step.of) " + Format.shortElapsed(now.timeIntervalSince(running)), r.style(.statusPending))
        }
        if let running = v.probe.runningSince {
            return .text("running " + Format.elapsed(now.timeIntervalSince(running)), r.style(.statusPending))
        }
        if let finished = v.probe.last?.finishedAt {
            return .text(Format.age(now.timeIntervalSince(finished)), r.style(.textDim))
        }
        return .empty
    }
}
