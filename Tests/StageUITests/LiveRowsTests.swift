import Foundation
import Testing
import StageModel
@testable import StageUI

/// WebSocket, burst and live-stream rows of the main table.
@Suite struct LiveRowsTests {
    let theme = Theme.builtinDefault.resolved(for: .truecolor)
    let sizes = [(80, 24), (120, 40)]

    func line(_ b: Buffer, _ name: String) -> String { b.line(Fixtures.row(b, name + " ") ?? -1) }

    @Test func websocketFailuresShowTheirCodeAndClassAtBothSizes() throws {
        for (w, h) in sizes {
            let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: w, height: h)
            for (name, code, cls, role) in [("websocket_auth", "1008", "ws_policy", Role.closecodePolicy),
                                            ("websocket_chat_flow", "403", "ws_handshake", Role.statusFail)] {
                let y = (try #require(Fixtures.row(b, name + " ")))
                let text = b.line(y)
                #expect(text.contains(" \(code) ") && text.contains(cls), "\(name) at \(w)x\(h): \(text)")
                let x = try #require(text.range(of: " \(code) ").map { TextWidth.of(String(text[..<$0.lowerBound])) + 1 })
                #expect(b[x, y].style == theme[role], "\(name) code style at \(w)x\(h)")
            }
            // websocket_connection is cut at 80 columns; its prefix still finds the row.
            let y = (try #require(Fixtures.row(b, "websocket_connecti")))
            let text = b.line(y)
            #expect(text.contains(" 1011 ") && text.contains("ws_internal"), "\(text)")
            let x = TextWidth.of(String(text[..<(try #require(text.range(of: "1011"))).lowerBound]))
            #expect(b[x, y].style == theme[.closecodeInternal])
        }
    }

    @Test func refusedHandshakeStatusComesFromTheWebSocketInfo() {
        // No HTTP status on the result: the 403 must come from the handshake itself.
        var s = DashboardFixtures.snapshot()
        let i = s.probes.firstIndex { $0.name == "websocket_chat_flow" }!
        s.probes[i].last?.status = nil
        let (b, _) = Fixtures.render(s, width: 80, height: 24)
        #expect(line(b, "websocket_chat_flow").contains(" 403 "))
    }

    @Test func heldOpenWebSocketShowsUptimeReconnectsAndRTT() {
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40)
        #expect(line(b, "websocket_held").contains("up 3m ⟳2 rtt 1.2ms · "))
        let (a, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40, renderer: Renderer(glyphs: .ascii))
        #expect(line(a, "websocket_held").contains("up 3m re2 rtt 1.2ms"))
    }

    @Test func concurrencyProbeShowsConnectedOfAttempted() {
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40)
        #expect(line(b, "websocket_concurrent").contains("4/5 connected · "))
    }

    @Test func burstRowShowsTheStatusMultiset() {
        for (w, h) in sizes {
            let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: w, height: h, view: sorted(.name))
            #expect(line(b, "rate_limiting").contains("38×200 12×429"), "at \(w)x\(h)")
        }
        #expect(Format.statusCounts([429: 12, 200: 38]) == "38×200 12×429")
        #expect(RowText.message(DashboardFixtures.snapshot().probe(named: "rate_limiting")!, now: Fixtures.now, glyphs: .unicode)
            == "38×200 12×429 · 50 requests in 1.9s")
    }

    func sorted(_ order: StageUI.SortOrder) -> ViewState {
        var v = ViewState()
        v.sort = order
        return v
    }

    @Test func runningStreamShowsLiveElapsedNotTheLastLatency() throws {
        // events_stream last took 2.30 s; it has been running 14 s now, still within its limits.
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40, view: sorted(.name))
        let row = line(b, "events_stream")
        #expect(row.contains("200   14.0s ") && row.contains("running 14s "), "\(row)") // LAST, not the 2.30 s of the last run
        let y = try #require(Fixtures.row(b, "events_stream "))
        let x = TextWidth.of(String(row[..<(try #require(row.range(of: "14.0s"))).lowerBound]))
        #expect(b[x, y].style == theme[.statusPending])
    }

    @Test func streamPastALimitButNotJudgedTurnsTheHangColour() throws {
        // chat_stream waits for its first byte: 4.2 s of 5 s, then 5.3 s, past the limit.
        for (w, h) in sizes {
            let before = DashboardFixtures.snapshot()
            let after = DashboardFixtures.snapshot(takenAt: Fixtures.now.addingTimeInterval(1.1))
            let (b0, _) = Fixtures.render(before, width: w, height: h, view: sorted(.name))
            let (b1, _) = Fixtures.render(after, width: w, height: h, view: sorted(.name))
            let y0 = try #require(Fixtures.row(b0, "chat_stream ")), y1 = try #require(Fixtures.row(b1, "chat_stream "))
            // LAST (kept at 80 columns) is the live elapsed time.
            let x0 = TextWidth.of(String(b0.line(y0)[..<(try #require(b0.line(y0).range(of: " 4.2s "))).lowerBound])) + 1
            let x1 = TextWidth.of(String(b1.line(y1)[..<(try #require(b1.line(y1).range(of: " 5.3s "))).lowerBound])) + 1
            #expect(b0[x0, y0].style == theme[.statusPending], "at \(w)x\(h)")
            #expect(b1[x1, y1].style.fg == theme[.statusHang].fg, "at \(w)x\(h)")
            if w >= 120 { #expect(b1.line(y1).contains("running 5.3s")) }
        }
    }

    @Test func theExistingRerunOfAHungProbeStillReadsHang() {
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40)
        #expect(line(b, "chat_stream").hasPrefix("⧗ hang"))
    }
}
