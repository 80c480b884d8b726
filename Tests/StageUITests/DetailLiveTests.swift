import Foundation
import Testing
import StageModel
@testable import StageUI

/// The detail view's WebSocket, timeline, stream and burst sections.
@Suite struct DetailLiveTests {
    let theme = Theme.builtinDefault.resolved(for: .truecolor)

    func detail(_ name: String, width: Int = 120, height: Int = 40, snapshot: Snapshot = DashboardFixtures.snapshot()) -> Buffer {
        var v = ViewState()
        v.detail = name
        return Fixtures.render(snapshot, width: width, height: height, view: v).0
    }

    @Test func handshakeSubprotocolAndSlowestHandshake() throws {
        let b = detail("websocket_connection")
        #expect(b.text.contains("handshake 101 Switching Protocols   subprotocol jwt.•••• negotiated"))
        #expect(b.text.contains("connected 1/1   slowest handshake 35.2ms"))
        let c = detail("websocket_concurrent")
        #expect(c.text.contains("connected 4/5   slowest handshake 88.4ms of 5"))
        let pos = (try #require(c.find("4/5")))
        #expect(c[pos.x, pos.y].style == theme[.statusFail]) // one of five did not connect
    }

    @Test func aMissingSubprotocolIsCalledOut() {
        var s = DashboardFixtures.snapshot()
        let i = s.probes.firstIndex { $0.name == "websocket_auth" }!
        #expect(s.probes[i].connection?.subprotocol == nil)
        s.probes[i].connection?.handshakeStatus = 101
        let b = detail("websocket_auth", snapshot: s)
        #expect(b.text.contains("subprotocol missing (not echoed)"))
    }

    @Test func theTokenSubprotocolIsNeverShownEvenIfPassedRaw() {
        var s = DashboardFixtures.snapshot()
        let i = s.probes.firstIndex { $0.name == "websocket_held" }!
        s.probes[i].connection?.subprotocol = "jwt.ZXlKaGJHY2lPaUpJVXpJMU5pSjkuc2VjcmV0"
        let b = detail("websocket_held", snapshot: s)
        #expect(!b.text.contains("ZXlKaGJHY2lPaUpJVXpJMU5pSjkuc2VjcmV0"))
        #expect(b.text.contains("subprotocol jwt.•••• negotiated"))
        #expect(WebSocketDetailSection.displayHandshakeHeader(name: "Sec-WebSocket-Protocol", value: "jwt.abc", mask: "*") == "jwt.*")
    }

    @Test func refusedHandshakeShowsItsStatusAndMaskedHeaders() throws {
        let b = detail("websocket_chat_flow")
        #expect(b.text.contains("handshake 403 Forbidden  upgrade refused"))
        #expect(b.text.contains("Content-Type: text/plain"))
        #expect(b.text.contains("Set-Cookie: ••••") && !b.text.contains("abc123secret"))
        let pos = (try #require(b.find("handshake 403")))
        #expect(b[pos.x + 10, pos.y].style.fg == theme[.statusFail].fg)
    }

    @Test func heldOpenConnection() {
        let b = detail("websocket_held")
        #expect(b.text.contains("held open since 11:21:39 (up 3m05s)   rtt 1.2ms   reconnects 2"))
    }

    @Test func timelineShowsTimesGapsAndTheLongestGap() throws {
        for (w, h) in [(80, 24), (120, 40)] {
            let b = detail("websocket_connection", width: w, height: h)
            let t = b.text
            #expect(t.contains("Timeline"), "at \(w)x\(h)")
            for needle in ["   +0.0ms  system_message", "  +41.2ms  agent_started   (+41.2)", " +130.4ms  agent_thinking  (+89.2)",
                           "+1630.4ms  tool_executing  (+1500.0)  longest gap", "+1702.9ms  tool_completed  (+72.5)"] {
                #expect(t.contains(needle), "\(needle) at \(w)x\(h)")
            }
            // The first event has no gap; the longest is in the warning colour.
            #expect(!b.line((try #require(Fixtures.row(b, "system_message")))).contains("(+"))
            let pos = (try #require(b.find("(+1500.0)")))
            #expect(b[pos.x, pos.y].style == theme[.latencyWarn])
        }
        let rows = Timeline(events: DashboardFixtures.chatEvents).rows
        #expect(rows.map(\.gap) == [nil, "(+41.2)", "(+89.2)", "(+1500.0)", "(+72.5)"])
        #expect(rows.filter(\.isLongestGap).map(\.type) == ["tool_executing"])
    }

    @Test func closeShowsCodeNameAndReason() throws {
        let b = detail("websocket_connection")
        #expect(b.text.contains("close    1011 internal error  Internal error"))
        let pos = (try #require(b.find("close    1011")))
        #expect(b[pos.x + 9, pos.y].style.fg == theme[.closecodeInternal].fg)
    }

    @Test func streamBodyEventsAndTheWatchdogThatFired() throws {
        let b = detail("chat_stream")
        let t = b.text
        #expect(t.contains("first body byte 120.4ms   chunks 4   bytes 412 B   longest gap 10.0s"))
        #expect(t.contains("events agent_started · message×3"))
        #expect(t.contains("watchdog max_gap  no data for 10.0 s after 3 events, 412 B  at 11:24:14, fired 12.0ms late"))
        let pos = (try #require(b.find("watchdog max_gap")))
        #expect(b[pos.x + 9, pos.y].style.fg == theme[.statusHang].fg)
    }

    @Test func aRunningStreamShowsLiveMeters() throws {
        let b = detail("chat_stream")
        #expect(b.text.contains("running 4.2s   0 events, 0 B so far"))
        let y = (try #require(Fixtures.row(b, "first byte 4.2s/5.0s")))
        #expect(b.line(y).contains("█"))
        let later = detail("chat_stream", snapshot: DashboardFixtures.snapshot(takenAt: Fixtures.now.addingTimeInterval(1.1)))
        #expect(later.text.contains("first byte 5.3s/5.0s over"))
    }

    @Test func burstStatusesAsAMultiset() {
        let b = detail("rate_limiting")
        #expect(b.text.contains("statuses 38×200 12×429   50 requests"))
    }
}

@Suite struct LoginBannerTests {
    let theme = Theme.builtinDefault.resolved(for: .truecolor)
    static let failed = LoginState(phase: .failed, message: "401 Invalid E2E bypass key", status: 401, at: Fixtures.now)
    static let banner = "LOGIN FAILED 401 Invalid E2E bypass key — probes that need the token are errors"

    @Test func failedLoginBannerUnderTheHeaderAtBothSizes() {
        for (w, h) in [(80, 24), (120, 40)] {
            let (b, _) = Fixtures.render(DashboardFixtures.snapshot(login: Self.failed), width: w, height: h)
            // The whole sentence, exactly, on the line under the two header lines.
            #expect(b.line(2).trimmingCharacters(in: .whitespaces) == Self.banner, "at \(w)x\(h): \(b.line(2))")
            let x = TextWidth.of(String(b.line(2).prefix { $0 == " " }))
            #expect(b[x, 2].style == theme[.bannerFail])
            #expect(b[w - 1, 2].style == theme[.bannerFail]) // the whole line is the banner
            #expect(b.line(3).hasPrefix("STATUS"))
        }
    }

    @Test func theBannerIsOnTheDetailViewTooAndNotWhenLoginWorked() {
        var v = ViewState()
        v.detail = "websocket_auth"
        let (d, _) = Fixtures.render(DashboardFixtures.snapshot(login: Self.failed), width: 80, height: 24, view: v)
        #expect(d.line(2).contains("LOGIN FAILED 401 Invalid E2E bypass key"))
        let ok = LoginState(phase: .ok, at: Fixtures.now, expiresAt: Fixtures.now.addingTimeInterval(724))
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(login: ok), width: 80, height: 24)
        #expect(!b.text.contains("LOGIN FAILED"))
        #expect(b.line(2).hasPrefix("STATUS"))
    }

    @Test func noTokenLikeTextCanReachTheBanner() {
        #expect(LoginBanner.text(Self.failed, mask: "••••") == Self.banner)
        let echoed = LoginState(phase: .failed, message: "401 token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln rejected, Bearer abc.def", at: Fixtures.now)
        let text = LoginBanner.text(echoed, mask: "••••")!
        #expect(text == "LOGIN FAILED 401 token •••• rejected, Bearer •••• — probes that need the token are errors")
        let bare = LoginState(phase: .failed, message: "", status: 403, at: Fixtures.now)
        #expect(LoginBanner.text(bare, mask: "*") == "LOGIN FAILED 403 Forbidden — probes that need the token are errors")
        #expect(LoginBanner.text(LoginState(phase: .pending, at: Fixtures.now), mask: "*") == nil)
    }

    @Test func tokenCountdownInTheHeaderWarnsUnderAMinute() throws {
        let ok = LoginState(phase: .ok, at: Fixtures.now, expiresAt: Fixtures.now.addingTimeInterval(724))
        for (w, h) in [(80, 24), (120, 40)] {
            let (b, _) = Fixtures.render(DashboardFixtures.snapshot(login: ok), width: w, height: h)
            #expect(b.line(0).contains("token 12m04s"), "at \(w)x\(h): \(b.line(0))")
        }
        // 4 s later the countdown moved; it reads from takenAt, not a clock.
        let (later, _) = Fixtures.render(DashboardFixtures.snapshot(takenAt: Fixtures.now.addingTimeInterval(4), login: ok), width: 120, height: 40)
        #expect(later.line(0).contains("token 12m00s"))
        let (calm, _) = Fixtures.render(DashboardFixtures.snapshot(login: ok), width: 120, height: 40)
        let c = (try #require(calm.find("token 12m04s")))
        #expect(calm[c.x, c.y].style == theme[.textDim])
        let soon = LoginState(phase: .ok, at: Fixtures.now, expiresAt: Fixtures.now.addingTimeInterval(44.2))
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(login: soon), width: 80, height: 24)
        let pos = (try #require(b.find("token 45s")))
        #expect(b[pos.x, pos.y].style == theme[.headerBadgeWarn])
        let gone = LoginState(phase: .ok, at: Fixtures.now, expiresAt: Fixtures.now.addingTimeInterval(-1))
        let (e, _) = Fixtures.render(DashboardFixtures.snapshot(login: gone), width: 80, height: 24)
        let ex = (try #require(e.find("token expired")))
        #expect(e[ex.x, ex.y].style == theme[.bannerFail])
    }
}
