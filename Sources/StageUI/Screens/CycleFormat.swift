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

    /// `↓ agent_start ↑ backend_health +2`: regressions first, since they are what needs a look; as many
    /// whole names as fit `maxWidth` (at most `limit`), then `+N` for the rest. nil when none fits.
    static func flipsLine(_ flips: [Flip], renderer r: Renderer, limit: Int = .max, maxWidth: Int = .max) -> Line? {
        guard !flips.isEmpty else { return nil }
        let ordered = flips.filter { $0.to != .pass } + flips.filter { $0.to == .pass }
        let items = ordered.map { f in
            f.to == .pass ? Span(r.glyphs.flipUp + " " + f.probe, r.style(.statusPass))
                : Span(r.glyphs.flipDown + " " + f.probe, r.style(DisplayStatus(f.to).role))
        }
        func more(_ shown: Int) -> Span? { shown < items.count ? Span(" +\(items.count - shown)", r.style(.textDim)) : nil }
        var line = Line()
        var shown = 0
        for item in items.prefix(limit) {
            let next = line.width + (shown > 0 ? 1 : 0) + item.width
            if next + (more(shown + 1)?.width ?? 0) > maxWidth { break }
            if shown > 0 { line.append(" ") }
            line.spans.append(item)
            shown += 1
        }
        guard shown > 0 else { return nil }
        if let more = more(shown) { line.spans.append(more) }
        return line
    }
}
