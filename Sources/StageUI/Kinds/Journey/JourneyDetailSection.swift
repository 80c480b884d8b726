import Foundation
import StageModel

/// A journey's detail: every step in order with its verdict, status, latency and a bar placing it in the
/// journey's time, then the values it captured (secret ones masked) and, for the step that failed, why.
/// The steps' conditions are in the Conditions section, each named by its step.
struct JourneyDetailSection {
    let screen: DetailScreen

    func detail(width: Int) -> KindDetail {
        let r = screen.r
        var out: [DetailScreen.Item] = []
        if let live = screen.probe.journeyStep {
            out.append(.line(Line([screen.label("step"), Span("\(live.step)/\(live.of) \(live.name)", r.style(.statusPending))])))
        }
        guard let info = screen.probe.last?.journey, !info.steps.isEmpty else { return KindDetail(lead: out) }
        let total = max(1, info.steps.compactMap { s in s.offsetMs.flatMap { o in s.durationMs.map { o + $0 } } }.max() ?? 1)
        out.append(.line(Line()))
        out.append(.line(Line([Span("Steps", r.style(.detailLabel)), screen.dim("  bar: when each step ran, of \(Format.latency(total))")])))
        let nameW = min(18, info.steps.map { TextWidth.of($0.name) }.max() ?? 4)
        let number = { (i: Int) in "\(i + 1)/\(info.steps.count)" }
        for (i, step) in info.steps.enumerated() {
            let status = DisplayStatus(step.verdict)
            let style = r.style(status.role)
            var spans = [Span("  " + TextWidth.fit(r.glyphs.status(status), width: r.glyphs.statusWidth) + " ", style),
                         screen.dim(number(i) + " "), screen.text(TextWidth.fit(step.name, width: nameW, ellipsis: r.glyphs.ellipsis) + " "),
                         screen.dim(TextWidth.fit(Self.kindWord(step.kind), width: 4) + " ")]
            let code = step.closeCode.map { "close \($0)" } ?? step.status.map(String.init) ?? (step.verdict == .skip ? "skip" : "-")
            spans.append(Span(TextWidth.fit(code, width: 10) + " ", step.verdict == .pass ? r.style(.text) : style))
            spans.append(screen.text(TextWidth.fit(Format.latency(step.latencyMs), width: 8, align: .right) + " "))
            if let offset = step.offsetMs, let duration = step.durationMs {
                out.append(.bar(Line(spans), Bar(start: offset, length: max(duration, total / 200), scale: total, glyphs: r.glyphs,
                                                 style: style, emptyStyle: r.style(.textDim))))
            } else {
                out.append(.line(Line(spans)))
            }
            let indent = String(repeating: " ", count: 3 + r.glyphs.statusWidth + TextWidth.of(number(i)))
            if step.verdict != .pass && step.verdict != .skip {
                for l in TextWidth.wrap(step.message, width: max(1, width - indent.count)).prefix(3) { out.append(.line(Line([Span(indent), Span(l, style)]))) }
            }
            for c in step.captures {
                out.append(.line(Line([Span(indent), screen.dim("{{\(c.name)}} = "),
                                       screen.text(c.secret ? r.glyphs.mask : TextWidth.fit(c.value, width: max(1, width - indent.count - c.name.count - 7), ellipsis: r.glyphs.ellipsis)),
                                       screen.dim(c.secret ? "  (secret)" : "")])))
            }
        }
        return KindDetail(lead: out)
    }

    static func kindWord(_ k: ProbeKind) -> String {
        switch k {
        case .websocket: "ws"
        case .http, .stream, .burst, .journey: k.rawValue
        }
    }
}
