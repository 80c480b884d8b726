import Foundation
import Testing
import StageModel
@testable import StageUI

@Suite struct MainScreenTests {
    let theme = Theme.builtinDefault.resolved(for: .truecolor)

    @Test func headerCountsHangsInTheDenominator() {
        for (w, h) in [(80, 24), (120, 40)] {
            let (b, _) = Fixtures.render(Fixtures.p1(), width: w, height: h)
            let line2 = b.line(1)
            #expect(line2.contains("21/25 (84%)"), "at \(w)x\(h): \(line2)")
            for piece in ["21 pass", "2 fail", "2 hang", "0 error", "0 skip", "0 pending", "avg 82.7 ms"] {
                #expect(line2.contains(piece), "\(piece) missing at \(w)x\(h): \(line2)")
            }
        }
    }

    @Test func headerShowsIdentityUptimeCycleAndClock() {
        let (b, _) = Fixtures.render(Fixtures.p1(), width: 120, height: 40)
        let line1 = b.line(0)
        #expect(line1.contains("netra-staging"))
        #expect(line1.contains("api.staging.example.com"))
        #expect(line1.contains("cycle 12"))
        #expect(line1.contains("up 44m44s"))
        #expect(line1.contains("11:24:44 UTC"))
        #expect(!line1.contains("INSECURE TLS") && !line1.contains("PAUSED"))
    }

    @Test func clockFollowsTheViewTimeZone() {
        var v = ViewState(timeZone: TimeZone(secondsFromGMT: 2 * 3600)!)
        v.sort = .status
        let (b, _) = Fixtures.render(Fixtures.p1(), width: 120, height: 40, view: v)
        #expect(b.line(0).contains("13:24:44"))
        #expect(b.text.contains("12:41:05 websocket_connection_real")) // log times too
    }

    @Test func insecureAndPausedBadgesAreShownWithTheWarningStyle() {
        let (b, _) = Fixtures.render(Fixtures.failures(), width: 80, height: 24)
        #expect(b.line(0).contains("INSECURE TLS"))
        #expect(b.line(0).contains("PAUSED"))
        let pos = b.find("INSECURE TLS")!
        #expect(b[pos.x, pos.y].style == theme[.headerBadgeWarn])
        #expect(b.line(23).contains("resume")) // the pause key now resumes
    }

    @Test("the certificate that ends soonest is a warning badge under 14 days, EXPIRED past it, nothing before; disabled probes do not count")
    func certificateBadge() throws {
        func render(_ days: [Double?], disabled: Set<Int> = []) -> String {
            var s = Fixtures.p1()
            for (i, d) in days.enumerated() {
                s.probes[i].certificate = d.map { CertificateExpiry(host: "host\(i).example.com", notAfter: s.takenAt.addingTimeInterval($0 * 86_400)) }
                if disabled.contains(i) { s.probes[i].enabled = false }
            }
            return Fixtures.render(s, width: 160, height: 40).0.line(0)
        }
        #expect(!render([90, nil, 30]).contains("CERT"), "a month and more: no badge")
        let soon = render([90, 3.5, 13])
        #expect(soon.contains(" CERT host1.example.com 3d12h "), "\(soon)")
        #expect(render([90, 3.5, -0.1]).contains(" CERT host2.example.com EXPIRED "))
        #expect(!render([90, 3.5], disabled: [1]).contains("CERT"), "a disabled probe's old certificate is not news")
        let (b, _) = Fixtures.render({ var s = Fixtures.p1(); s.probes[0].certificate = CertificateExpiry(host: "h", notAfter: s.takenAt); return s }(), width: 160, height: 40)
        let pos = try #require(b.find("CERT h"))
        #expect(b[pos.x, pos.y].style == theme[.headerBadgeWarn])
    }

    @Test func passRateIsRoundedDownNeverUpToPerfect() {
        #expect(TextFormat.passRate(passed: 249, counted: 250) == "249/250 (99%)")
        #expect(TextFormat.passRate(passed: 21, counted: 25) == "21/25 (84%)")
        #expect(TextFormat.passRate(passed: 0, counted: 0) == "0/0 (-)")
    }

    @Test func skippedProbesLeaveTheDenominatorButPendingOnesStay() {
        let (b, _) = Fixtures.render(Fixtures.failures(), width: 120, height: 40)
        // 9 probes: 1 skipped (disabled) is out, the pending one stays in: 1/8.
        #expect(b.line(1).contains("1/8 (12%)"))
        #expect(b.line(1).contains("1 skip") && b.line(1).contains("1 pending") && b.line(1).contains("1 hang"))
    }

    @Test func failingRowsComeFirstBySeverity() {
        let (b, _) = Fixtures.render(Fixtures.failures(), width: 120, height: 40)
        let order = ["chat_stream", "agent_discovery", "user_profile", "backend_health", "websocket_auth", "websocket_chat_flow",
                     "new_probe", "legacy_probe", "api_health"]
        let rows = order.map { Fixtures.row(b, $0) ?? -1 }
        #expect(rows == rows.sorted() && !rows.contains(-1), "rows: \(rows)")
        // hang before fail before pending before skip before pass, with their glyphs and words.
        #expect(b.line(rows[0]).hasPrefix("⧗ hang"))
        #expect(b.line(rows[1]).hasPrefix("✖ fail"))
        #expect(b.line(rows[6]).hasPrefix("○ pending"))
        #expect(b.line(rows[7]).hasPrefix("⊘ skip"))
        #expect(b.line(rows[8]).hasPrefix("✔ pass"))
    }

    @Test func p1FailuresAreAboveEveryPass() {
        let (b, _) = Fixtures.render(Fixtures.p1(), width: 80, height: 24)
        let lastProblem = ["critical_event_del", "streaming_partial", "websocket_authenti", "websocket_connecti"].map { Fixtures.row(b, $0)! }.max()!
        let firstPass = (0..<24).first { b.line($0).hasPrefix("✔ pass") }!
        #expect(lastProblem < firstPass)
    }

    @Test func groupHeadersSeparateGroups() {
        let (b, _) = Fixtures.render(Fixtures.p1(), width: 120, height: 40)
        let hang = Fixtures.row(b, "critical_event_deliv")!
        #expect(b.line(hang - 1).contains("▾ streaming"))
        let y = Fixtures.row(b, "▾ agents")!
        #expect(b[1, y].style == theme[.tableGroup])
    }

    @Test func failingRowUsesTheFailStatusColour() {
        let (b, _) = Fixtures.render(Fixtures.failures(), width: 120, height: 40)
        let y = Fixtures.row(b, "backend_health")!
        #expect(b[0, y].style.fg == theme[.statusFail].fg)
        #expect(b[0, y].style.fg == .ansi(1))
        let pass = Fixtures.row(b, "api_health")!
        #expect(b[0, pass].style.fg == theme[.statusPass].fg)
        let hang = Fixtures.row(b, "chat_stream")!
        #expect(b[0, hang].style.fg == theme[.statusHang].fg)
        let cls = b.find("redirect")!
        #expect(b[cls.x, cls.y].style.fg == theme[.statusFail].fg)
    }

    @Test func codesAndClassesOfEveryReportedFailureAreVisible() {
        let (b, _) = Fixtures.render(Fixtures.failures(), width: 80, height: 24)
        let expectations: [(String, String, String)] = [
            ("backend_health", "307", "redirect"), ("user_profile", "404", "route"), ("agent_discovery", "500", "server"),
            ("websocket_chat_flow", "403", "ws_handshake"), ("websocket_auth", "1008", "ws_policy"), ("chat_stream", "200", "hang"),
        ]
        for (name, code, cls) in expectations {
            let line = b.line(Fixtures.row(b, name)!)
            #expect(line.contains(" \(code) ") && line.contains(cls), "\(name): \(line)")
        }
        let policy = b.find("1008")!
        #expect(b[policy.x, policy.y].style == theme[.closecodePolicy])
        let (p1, _) = Fixtures.render(Fixtures.p1(), width: 80, height: 24)
        let ic = p1.find("1011")!
        #expect(p1[ic.x, ic.y].style == theme[.closecodeInternal])
        #expect(p1.line(ic.y).contains("ws_internal"))
    }

    @Test func columnsDropOnNarrowTerminals() {
        let (narrow, _) = Fixtures.render(Fixtures.p1(), width: 80, height: 24)
        let header80 = Set(narrow.line(2).split(separator: " ").map(String.init))
        #expect(header80 == ["STATUS", "NAME", "CODE", "LAST", "CLASS", "MESSAGE"])
        let (wide, _) = Fixtures.render(Fixtures.p1(), width: 120, height: 40)
        let header120 = Set(wide.line(2).split(separator: " ").map(String.init))
        #expect(header120 == ["STATUS", "NAME", "KIND", "CODE", "LAST", "AVG", "P95", "CLASS", "AGE", "MESSAGE"])
        let (wider, _) = Fixtures.render(Fixtures.p1(), width: 160, height: 40)
        #expect(wider.line(2).contains("TREND"))
        #expect(wider.text.contains("▇")) // the sparkline itself
    }

    @Test func longNamesAndMessagesAreTruncatedWithAnEllipsis() {
        let (b, _) = Fixtures.render(Fixtures.p1(), width: 80, height: 24)
        let y = Fixtures.row(b, "websocket_authenti")!
        let line = b.line(y)
        #expect(!line.contains("websocket_authentication_real"))
        #expect(line.contains("websocket_authenti…"))
        #expect(line.contains("1011 error on welcome…"))
    }

    @Test func latenciesAgesAndRunningProbes() {
        let (b, _) = Fixtures.render(Fixtures.p1(), width: 120, height: 40)
        let fail = b.line(Fixtures.row(b, "websocket_authenti")!)
        #expect(fail.contains("4.26s"))
        #expect(fail.contains("3s"))
        let running = b.line(Fixtures.row(b, "critical_event_deliv")!)
        #expect(running.contains("running 4.2s"))
        #expect(running.hasPrefix("⧗ hang")) // a re-run in flight does not hide the hang
        #expect(b.line(Fixtures.row(b, "agent_discovery_real")!).contains("75.7ms"))
        #expect(Format.latency(1200) == "1.20s" && Format.latency(82.66) == "82.7ms" && Format.latency(nil) == "-")
        #expect(Format.age(125) == "2m" && Format.age(3) == "3s" && Format.age(7200) == "2h")
    }

    @Test("a journey in flight shows its step in AGE (2/3)")
    func journeyRowShowsItsStep() throws {
        var probes = Fixtures.p1()
        let now = probes.takenAt
        // The first probe of the fixture, made a journey on its second step (its name and place kept).
        probes.probes[0].kind = .journey
        probes.probes[0].runningSince = now.addingTimeInterval(-1.2)
        probes.probes[0].journeyStep = JourneyProgress(probe: probes.probes[0].name, step: 2, of: 3, name: "read")
        let (b, _) = Fixtures.render(probes, width: 120, height: 40)
        let row = b.line(try #require(Fixtures.row(b, String(probes.probes[0].name.prefix(18)))))
        #expect(row.contains("journ…") && row.contains("2/3 1.2s"), "\(row)")
    }

    @Test func eventLogShowsVerdictChanges() {
        let (b, _) = Fixtures.render(Fixtures.p1(), width: 80, height: 24)
        #expect(b.text.contains("10:44:05 backend_health pass → fail redirect 307 Temporary Redirect → /health/"))
        #expect(b.text.contains("10:40:05 started: 25 probes"))
        let pos = b.find("10:44:05")!
        #expect(b[pos.x, pos.y].style == theme[.logTime])
        let fail = b.find("fail redirect")!
        #expect(b[fail.x, fail.y].style == theme[.logFail])
    }

    @Test func hintBarIsGeneratedFromTheKeyMap() {
        let (b, _) = Fixtures.render(Fixtures.p1(), width: 120, height: 40)
        let hints = b.line(39)
        for hint in ["q quit", "? help", "Enter detail", "/ filter", "s sort:status", "p pause", "r rerun", "R all", "t theme"] {
            #expect(hints.contains(hint), "\(hint): \(hints)")
        }
        var map = KeyMap.standard
        map.bindings = map.bindings.map { b in
            var b = b
            if b.action == .quit { b.key = .char("x"); b.label = "x" }
            return b
        }
        let (custom, _) = Fixtures.render(Fixtures.p1(), width: 120, height: 40, renderer: Renderer(keyMap: map))
        #expect(custom.line(39).contains("x quit") && !custom.line(39).contains("q quit"))
        let key = b.find("q quit")!
        #expect(b[key.x, key.y].style == theme[.hintKey])
    }

    @Test func selectionIsHighlightedAndFollowsTheProbe() {
        var v = ViewState()
        v.selected = "backend_health"
        let (b, _) = Fixtures.render(Fixtures.failures(), width: 120, height: 40, view: v)
        let y = Fixtures.row(b, "backend_health")!
        #expect(b[5, y].style.attrs.contains(.reverse))
        #expect(b[0, y].style.fg == theme[.statusFail].fg) // the highlight keeps the status colour
        let other = Fixtures.row(b, "user_profile")!
        #expect(!b[5, other].style.attrs.contains(.reverse))
    }

    @Test func scrollingKeepsTheSelectedRowVisible() {
        let s = SyntheticDashboard.snapshot(probes: 200)
        var v = ViewState()
        v.sort = .name
        v.selected = "probe_99"
        let (b, after) = Fixtures.render(s, width: 80, height: 24, view: v)
        let y = Fixtures.row(b, "probe_99 ")!
        #expect(b[5, y].style.attrs.contains(.reverse))
        #expect(after.scroll > 0)
        #expect(b.text.contains("rows \(after.scroll + 1)-\(after.scroll + after.pageSize) of 200"))
        #expect(after.pageSize == 24 - 2 - 4 - 1 - 1) // header, log, hints, table header
        // Moving back to the top scrolls back.
        v = after
        v.selected = "probe_0"
        let (top, again) = Fixtures.render(s, width: 80, height: 24, view: v)
        #expect(again.scroll == 0)
        #expect(top.line(3).contains("probe_0 "))
    }

    @Test func filterNarrowsRowsByNameGroupOrClass() {
        var v = ViewState()
        v.filter = "WS_"
        let (b, _) = Fixtures.render(Fixtures.failures(), width: 120, height: 40, view: v)
        #expect(Fixtures.row(b, "websocket_auth") != nil && Fixtures.row(b, "websocket_chat_flow") != nil)
        #expect(Fixtures.row(b, "backend_health") == nil)
        #expect(b.line(39).contains("filter \"WS_\" 2/9"))
        #expect(b.line(1).contains("1/8 (12%)")) // the header still counts everything
        v.filter = "health"
        let (g, _) = Fixtures.render(Fixtures.failures(), width: 120, height: 40, view: v)
        #expect(Fixtures.row(g, "api_health") != nil && Fixtures.row(g, "backend_health") != nil && Fixtures.row(g, "chat_stream") == nil)
        v.filter = "nothing-matches"
        let (none, _) = Fixtures.render(Fixtures.failures(), width: 120, height: 40, view: v)
        #expect(none.text.contains("no probe matches \"nothing-matches\""))
    }

    @Test func typingAFilterShowsThePromptAndPreviews() {
        var v = ViewState()
        v.filterDraft = "redir"
        let (b, _) = Fixtures.render(Fixtures.failures(), width: 80, height: 24, view: v)
        #expect(b.line(23).hasPrefix("filter: redir▌"))
        #expect(b.line(23).contains("Enter apply") && b.line(23).contains("Esc cancel"))
        #expect(Fixtures.row(b, "backend_health") != nil && Fixtures.row(b, "user_profile") == nil)
    }

    @Test func otherSortOrders() {
        let s = Fixtures.failures()
        #expect(ProbeRows.ordered(s, sort: .name, filter: "").map { s.probes[$0].name }.prefix(3) == ["agent_discovery", "api_health", "backend_health"])
        let byLatency = ProbeRows.ordered(s, sort: .latency, filter: "").map { s.probes[$0].name }
        #expect(byLatency.first == "agent_discovery" && byLatency.suffix(3).contains("chat_stream"))
        let byGroup = ProbeRows.entries(s, sort: .group, filter: "")
        #expect(byGroup.first == .group("api"))
        #expect(byGroup.filter { if case .group = $0 { true } else { false } }.count == 4) // once per group
        #expect(!ProbeRows.entries(s, sort: .name, filter: "").contains { if case .group = $0 { true } else { false } })
    }

    @Test func asciiGlyphsWhenTheLocaleCannotShowUnicode() {
        let (b, _) = Fixtures.render(Fixtures.failures(), width: 80, height: 24, renderer: Renderer(glyphs: .ascii))
        #expect(b.line(Fixtures.row(b, "chat_stream")!).hasPrefix("H  hang"))
        #expect(b.line(Fixtures.row(b, "api_health")!).hasPrefix("OK pass"))
        #expect(b.line(Fixtures.row(b, "backend_health")!).hasPrefix("X  fail"))
        #expect(b.cells.allSatisfy { $0.grapheme.utf8.allSatisfy { $0 < 0x80 } })
        var v = ViewState()
        v.detail = "backend_health"
        let (d, _) = Fixtures.render(Fixtures.failures(), width: 80, height: 24, view: v, renderer: Renderer(glyphs: .ascii))
        #expect(d.line(23).contains("Down/j scroll")) // arrows spelled out, not "?"
    }

    @Test func thousandProbesRenderAtLargeSizes() {
        let b = SyntheticDashboard.frame(probes: 1000, width: 200, height: 60)
        #expect(b.width == 200 && b.height == 60)
        #expect(b.line(1).contains("/1000 ("))
        #expect(b.line(2).contains("TREND"))
    }
}
