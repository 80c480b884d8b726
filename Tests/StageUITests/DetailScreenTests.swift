import Foundation
import Testing
import StageModel
@testable import StageUI

@Suite struct DetailScreenTests {
    static let request = ProbeRequestInfo(
        url: "https://api.staging.example.com/health", method: "GET",
        headers: [("Authorization", "Bearer $STAGING_JWT"), ("X-E2E-Bypass-Key", "$E2E_BYPASS_KEY"), ("Cookie", "sid=1"), ("X-Client", "stagetop")],
        curl: "curl -sS -H \"Authorization: Bearer $STAGING_JWT\" -H 'X-Client: stagetop' --max-time 5 https://api.staging.example.com/health")

    func detail(_ name: String = "backend_health", width: Int = 120, height: Int = 40, request: ProbeRequestInfo = request) -> (Buffer, ViewState) {
        var v = ViewState()
        v.detail = name
        return Fixtures.render(Fixtures.failures(), width: width, height: height, view: v, renderer: Renderer(requests: [name: request]))
    }

    @Test func showsIdentityVerdictClassAndSince() {
        let (b, _) = detail()
        let t = b.text
        #expect(t.contains("backend_health"))
        #expect(t.contains("group    health") && t.contains("kind http") && t.contains("target GET /health"))
        #expect(t.contains("verdict  ✖ fail  redirect"))
        #expect(t.contains("since 11:23:12 (1m32s ago)"))
        #expect(t.contains("message  307 Temporary Redirect → /health/"))
        let v = b.find("✖ fail")!
        #expect(b[v.x, v.y].style.fg == Theme.builtinDefault[.statusFail].fg)
    }

    @Test func conditionsShowOkOrFailAndTheActualValue() {
        let (b, _) = detail()
        let failed = b.line(Fixtures.row(b, "[STATUS] == 200")!)
        #expect(failed.contains("✖ [STATUS] == 200") && failed.contains("actual 307"))
        let ok = b.line(Fixtures.row(b, "[RESPONSE_TIME] < 300ms")!)
        #expect(ok.contains("✔ [RESPONSE_TIME] < 300ms") && ok.contains("actual 81.2ms"))
        let pos = b.find("actual 307")!
        #expect(b[pos.x + 7, pos.y].style.fg == Theme.builtinDefault[.statusFail].fg)
    }

    @Test func responseTimingAndLatency() {
        let (b, _) = detail()
        let t = b.text
        #expect(t.contains("Response  307  18 B"))
        #expect(t.contains("Location: /health/"))
        #expect(t.contains("Temporary Redirect"))
        for phase in ["dns", "connect", "tls", "ttfb", "total"] { #expect(t.contains("  \(phase) ")) }
        let total = b.line(Fixtures.row(b, "  total ")!)
        #expect(total.contains("81.2") && total.contains("█"))
        #expect(t.contains("latency  last 81.2ms  avg 81.2ms  p50 79.0ms  p95 95.0ms  p99 100.0ms  samples 10"))
    }

    @Test func secretsAreMaskedEverywhere() {
        let (b, _) = detail()
        let t = b.text
        #expect(t.contains("Authorization: ••••"))
        #expect(t.contains("X-E2E-Bypass-Key: ••••"))
        #expect(t.contains("Cookie: ••••"))
        #expect(t.contains("Set-Cookie: ••••")) // response headers too
        #expect(!t.contains("abc123secret"))
        #expect(t.contains("X-Client: stagetop"))
    }

    @Test func curlIsCopyReadyWithThePlaceholder() {
        let (b, _) = detail()
        let t = b.text
        #expect(t.contains("curl -sS -H \"Authorization: Bearer $STAGING_JWT\" -H 'X-Client: stagetop' --max-time 5"))
        #expect(t.contains("https://api.staging.example.com/health"))
        // Wrapped lines end with a backslash so the pasted command is still one command.
        let first = b.line(Fixtures.row(b, "curl -sS")!)
        #expect(first.trimmingCharacters(in: .whitespaces).hasSuffix("\\ │") || first.contains(" \\"))
    }

    @Test func aRawTokenInTheCurlCommandIsMasked() {
        let leaky = ProbeRequestInfo(url: "https://x/health", method: "GET", headers: [("Authorization", "Bearer eyJhbGciOi.real.token")],
                                     curl: "curl -H 'Authorization: Bearer eyJhbGciOi.real.token' -H \"X-Api-Key: k-123\" https://x/health")
        let (b, _) = detail(request: leaky)
        #expect(!b.text.contains("eyJhbGciOi"))
        #expect(!b.text.contains("k-123"))
        #expect(b.text.contains("curl -H 'Authorization: ••••' -H \"X-Api-Key: ••••\""))
        #expect(Masking.maskCurl("curl -H 'Authorization: Bearer $STAGING_JWT' u", mask: "*") == "curl -H 'Authorization: Bearer $STAGING_JWT' u")
    }

    @Test func websocketCloseCodeAndReason() {
        let (b, _) = detail("websocket_auth")
        #expect(b.text.contains("close    1008 policy violation  Authentication failed"))
        let pos = b.find("close    1008")!
        #expect(b[pos.x + 9, pos.y].style.fg == Theme.builtinDefault[.closecodePolicy].fg)
        #expect(b.text.contains("ws_policy"))
    }

    @Test func verdictHistoryIsAColouredGlyphStrip() {
        var s = Fixtures.failures()
        s.probes[0].history = [.pass, .pass, .fail, .hang].enumerated().map { k, v in
            HistoryPoint(at: Fixtures.now.addingTimeInterval(Double(k)), verdict: v, latencyMs: 10)
        }
        var v = ViewState()
        v.detail = "backend_health"
        let (b, _) = Fixtures.render(s, width: 120, height: 40, view: v)
        let pos = b.find("history  ✔✔✖⧗")!
        #expect(b[pos.x + 11, pos.y].style.fg == Theme.builtinDefault[.statusFail].fg)
        #expect(b[pos.x + 12, pos.y].style.fg == Theme.builtinDefault[.statusHang].fg)
    }

    @Test func scrollsAndClampsOnSmallTerminals() {
        var v = ViewState()
        v.detail = "backend_health"
        v.detailScroll = 1000
        let renderer = Renderer(requests: ["backend_health": Self.request])
        let (b, after) = Fixtures.render(Fixtures.failures(), width: 80, height: 24, view: v, renderer: renderer)
        #expect(after.detailScroll > 0 && after.detailScroll < 1000)
        #expect(b.text.contains("https://api.staging.example.com/health")) // the end is visible
        #expect(b.text.contains(" of "))
        #expect(after.pageSize == 24 - 2 - 1 - 2)
        var lat = v
        lat.detail = "websocket_auth"
        lat.detailScroll = 0
        let (w, _) = Fixtures.render(Fixtures.failures(), width: 80, height: 24, view: lat, renderer: renderer)
        #expect(w.text.contains("latency  last 52.0ms avg 52.0ms p50 79.0ms p95 95.0ms p99 100.0ms samples 10")) // tighter, not cut
    }

    @Test func unknownDetailFallsBackToTheMainScreen() {
        var v = ViewState()
        v.detail = "no_such_probe"
        let (b, _) = Fixtures.render(Fixtures.failures(), width: 80, height: 24, view: v)
        #expect(b.line(2).hasPrefix("STATUS"))
    }
}

@Suite struct HelpAndSizeTests {
    @Test func helpListsEveryKeyOfTheKeyMap() {
        var v = ViewState()
        v.showHelp = true
        for (w, h) in [(80, 24), (120, 40)] {
            let (b, _) = Fixtures.render(Fixtures.p1(), width: w, height: h, view: v)
            let t = b.text
            for binding in KeyMap.standard.bindings + KeyMap.standard.filterBindings {
                #expect(t.contains(binding.description), "\(binding.description) at \(w)x\(h)")
                let line = b.lines.first { $0.contains(binding.description) } ?? ""
                #expect(line.contains(binding.label), "\(binding.label) missing on \(line)")
            }
        }
    }

    @Test func helpFollowsACustomKeyMap() {
        var map = KeyMap.standard
        map.bindings.append(KeyAction(key: .char("x"), description: "Quit, the other way", action: .quit))
        var v = ViewState()
        v.showHelp = true
        let (b, _) = Fixtures.render(Fixtures.p1(), width: 80, height: 24, view: v, renderer: Renderer(keyMap: map))
        #expect(b.lines.contains { $0.contains("q/x") && $0.contains("Quit") })
    }

    @Test func tooSmallBelow80x24() {
        for (w, h) in [(79, 24), (80, 23), (40, 10)] {
            let (b, _) = Fixtures.render(Fixtures.p1(), width: w, height: h)
            #expect(b.text.contains("too small"), "\(w)x\(h)")
            #expect(!b.text.contains("STATUS"))
        }
        let (b, _) = Fixtures.render(Fixtures.p1(), width: 79, height: 24)
        #expect(b.text.contains("terminal too small (need 80x24)"))
        #expect(b.text.contains("now 79x24"))
        let (ok, _) = Fixtures.render(Fixtures.p1(), width: 80, height: 24)
        #expect(!ok.text.contains("too small"))
    }

    @Test func noCrashAtAnySize() {
        var detail = ViewState()
        detail.detail = "backend_health"
        var help = ViewState()
        help.showHelp = true
        for w in [0, 1, 2, 5, 20, 79, 80, 81] {
            for h in [0, 1, 2, 3, 23, 24, 25] {
                for v in [ViewState(), detail, help] {
                    let (b, _) = Fixtures.render(Fixtures.failures(), width: w, height: h, view: v)
                    #expect(b.width == w && b.height == h && b.cells.count == w * h)
                }
            }
        }
        var empty = Buffer(width: 0, height: 0)
        var v = ViewState()
        Renderer().render(Fixtures.p1(), view: &v, into: &empty)
        #expect(empty.text.isEmpty)
    }

    @Test func widgetsSurviveEmptyAreas() {
        var b = Buffer(width: 3, height: 1)
        let glyphs = GlyphSet.unicode
        Block(title: "long title", border: glyphs.border).render(into: &b, area: Rect(x: 0, y: 0, width: 3, height: 1))
        Table(columns: ProbeColumns(r: Renderer(), snapshot: Fixtures.p1(), view: ViewState()).columns(nameMax: 20).specs(), rows: []).render(into: &b, area: .zero)
        Sparkline(values: [1, 2, nil], levels: glyphs.spark, missing: "·").render(into: &b, area: Rect(x: 2, y: 0, width: 0, height: 1))
        Bar(length: 5, scale: 0, glyphs: glyphs, style: .plain).render(into: &b, area: Rect(x: 0, y: 0, width: 3, height: 1))
        HintBar(hints: [.init(keys: "q", text: "quit")], keyStyle: .plain, textStyle: .plain).render(into: &b, area: .zero)
        #expect(b.width == 3)
    }
}

@Suite struct CurlWrapTests {
    @Test func wrappedLinesRejoinToTheSameCommand() {
        let cmd = "curl -sS -i -X POST -H \"Authorization: Bearer $STAGING_JWT\" -H 'X-Client: stage top' --data '{\"q\":\"it'\\''s\"}' -N 'https://api.staging.example.com/api/chat/stream'"
        for width in [20, 40, 60, 200] {
            let lines = DetailScreen.wrapCommand(cmd, width: width)
            #expect(lines.dropLast().allSatisfy { $0.hasSuffix(" \\") })
            let rejoined = lines.map { $0.hasSuffix(" \\") ? String($0.dropLast(2)) : $0 }
                .map { $0.hasPrefix("  ") ? String($0.dropFirst(2)) : $0 }.joined(separator: " ")
            #expect(rejoined == cmd, "width \(width)")
            // An option is never separated from its argument.
            #expect(!lines.contains { $0.hasSuffix("-H \\") })
        }
    }
}
