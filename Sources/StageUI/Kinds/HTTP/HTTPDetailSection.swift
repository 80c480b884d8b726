import Foundation
import StageModel

/// An HTTP probe's detail: what came back (status, headers, the start of the body) and where the time
/// went (curl's phases as bars). Stream and WebSocket probes start with an HTTP request too, so their
/// sections show the same exchange when they have one (a stream's response, a refused handshake's).
struct HTTPDetailSection {
    let screen: DetailScreen

    func detail(width: Int, view: ViewState) -> KindDetail {
        KindDetail(exchange: exchange(width: width, view: view))
    }

    /// `Response  307  18 B` with up to 8 headers and 6 body lines, then `Timing (ms)` bars.
    func exchange(width: Int, view: ViewState) -> [DetailScreen.Item] {
        let r = screen.r
        var out: [DetailScreen.Item] = []
        func add(_ spans: [Span]) { out.append(.line(Line(spans))) }
        func blank() { out.append(.line(Line())) }
        let last = screen.probe.last
        if let resp = last?.response {
            blank()
            var head = [Span("Response", r.style(.detailLabel)), screen.text("  \(resp.status)"), screen.dim("  " + TextFormat.bytes(resp.bodyBytes))]
            if resp.truncated { head.append(screen.dim(" (capture truncated)")) }
            add(head)
            for h in resp.headers.prefix(8) {
                add([screen.dim("  " + h.name + ": "), screen.text(Masking.display(header: h.name, value: h.value, mask: r.glyphs.mask))])
            }
            if resp.headers.count > 8 { add([screen.dim("  … \(resp.headers.count - 8) more headers")]) }
            let body = TextWidth.wrap(resp.bodyText, width: max(1, width - 4)).filter { !$0.isEmpty }
            for l in body.prefix(6) { add([screen.dim("  " + r.glyphs.border.vertical + " "), screen.text(l)]) }
            if body.count > 6 { add([screen.dim("  " + r.glyphs.border.vertical + " … \(body.count - 6) more lines")]) }
        }

        if let t = last?.timings {
            blank(); add([Span("Timing", r.style(.detailLabel)), screen.dim(" (ms)")])
            // A phase that was never observed (no byte arrived: no ttfb) reads "-", with no bar.
            let phases: [(String, Double, Double?)] = [
                ("dns", 0, t.dns), ("connect", t.dns, t.connect), ("tls", t.dns + t.connect, t.tls),
                ("ttfb", t.dns + t.connect + t.tls, t.ttfb), ("total", 0, t.total),
            ]
            let scale = max(t.total, t.dns + t.connect + t.tls + (t.ttfb ?? 0))
            for (name, start, length) in phases {
                let figure = screen.text(TextWidth.fit(length.map { Format.fixed($0, decimals: 1) } ?? "-", width: 8, align: .right) + "  ")
                let label = screen.dim("  " + TextWidth.fit(name, width: 8))
                guard let length else { out.append(.line(Line([label, figure]))); continue }
                let bar = Bar(start: start, length: length, scale: scale, glyphs: r.glyphs,
                              style: name == "total" ? r.style(.gaugeFill) : screen.latencyStyle(length, view: view))
                out.append(.bar(Line([label, figure]), bar))
            }
        }
        return out
    }
}
