import Foundation
import StageModel

/// Cycle-over-cycle progress as the staging reports wrote it by hand ("22/25 → 25/25"), but computed:
/// the arrow comes from the pass rates, the signed number from the passed counts, so "21/25, improved
/// from 22/25" can never be written.
enum CycleFormat {
    enum Direction { case better, worse, same }

    /// Better or worse by pass rate (counted may change when probes are added); same when equal.
    static func direction(_ c: CycleSummary, from p: CycleSummary) -> Direction {
        // Cross-multiplied, so 21/25 vs 42/50 is exactly "same" without floating point.
        let lhs = c.passed * p.counted, rhs = p.passed * c.counted
        return lhs > rhs ? .better : lhs < rhs ? .worse : .same
    }

    static func arrow(_ d: Direction, glyphs: GlyphSet) -> String {
        switch d {
        case .better: glyphs.better
        case .worse: glyphs.worse
        case .same: "="
        }
    }

    static func role(_ d: Direction) -> Role {
        switch d {
        case .better: .statusPass
        case .worse: .statusFail
        case .same: .textDim
        }
    }

    /// A cycle's ratio in the pass style only when every counted probe passed.
    static func ratioRole(_ c: CycleSummary) -> Role { c.passed == c.counted && c.counted > 0 ? .statusPass : .statusFail }

    /// `▲ from 21/25 (+1)` against the previous cycle.
    static func change(_ c: CycleSummary, from p: CycleSummary, renderer r: Renderer) -> Span {
        let d = direction(c, from: p)
        return Span(arrow(d, glyphs: r.glyphs) + " from " + p.ratio + " (" + TextFormat.signed(c.passed - p.passed) + ")", r.style(role(d)))
    }

    /// Header piece: `cycle 3  22/25 ▲ from 21/25 (+1)` for the last closed cycle (the same number and
    /// ratio `check --cycles` prints for it); before any cycle closed, `cycle N` as counted so far.
    static func headerLine(_ s: Snapshot, renderer r: Renderer) -> Line {
        guard let last = s.cycles.last else { return Line("cycle \(s.completedCycles)", r.style(.textDim)) }
        var line = Line([Span("cycle \(last.number)  ", r.style(.textDim)), Span(last.ratio, r.style(ratioRole(last)).adding(.bold))])
        if s.cycles.count >= 2 {
            line.append(" ")
            line.spans.append(change(last, from: s.cycles[s.cycles.count - 2], renderer: r))
        }
        return line
    }

    /// How far the cycle in progress is: `in progress 7/25`; nil when nothing reported yet.
    static func progressLine(_ s: Snapshot, renderer r: Renderer) -> Line? {
        guard s.cycleInProgress > 0 else { return nil }
        return Line("in progress \(s.cycleInProgress)/\(s.summary.counted)", r.style(.textDim))
    }

    /// `↓ agent_start ↑ backend_health`: regressions first, since they are what needs a look; at most
    /// `limit` names, then `+N more`.
    static func flipsLine(_ flips: [Flip], renderer r: Renderer, limit: Int = 4) -> Line? {
        guard !flips.isEmpty else { return nil }
        let ordered = flips.filter { $0.to != .pass } + flips.filter { $0.to == .pass }
        var line = Line()
        for (k, f) in ordered.prefix(limit).enumerated() {
            if k > 0 { line.append(" ") }
            if f.to == .pass {
                line.append(r.glyphs.flipUp + " " + f.probe, r.style(.statusPass))
            } else {
                line.append(r.glyphs.flipDown + " " + f.probe, r.style(DisplayStatus(f.to).role))
            }
        }
        if ordered.count > limit { line.append(" +\(ordered.count - limit) more", r.style(.textDim)) }
        return line
    }
}
