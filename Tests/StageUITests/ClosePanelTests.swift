import Foundation
import Testing
import StageModel
@testable import StageUI

@Suite struct ClosePanelTests {
    let theme = Theme.builtinDefault.resolved(for: .truecolor)

    @Test func listsClosesNewestFirstUnderThePerCodeCounts() {
        // At 80x24 the table keeps half the body, so the pane shows the newest closes that fit (3 of 4).
        for (w, h, shown) in [(80, 24, 3), (120, 40, 4)] {
            let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: w, height: h)
            let title = Fixtures.row(b, "closes 1000×3 1006×1 1008×2 1011×5")
            #expect(title != nil, "count strip at \(w)x\(h)")
            // Whole lines at 80 columns (stacked, full width); beside the log at 120 the reasons may be cut.
            let rows = ["11:23:42 websocket_connection 1011 internal error  Internal error",
                        "11:22:44 websocket_auth       1008 policy violation  Authentic",
                        "11:21:24 websocket_held       1006 abnormal  connection reset",
                        "11:19:44 websocket_held       1000 normal (closed by us)"].prefix(shown).map { needle -> Int in
                Fixtures.row(b, needle) ?? -1
            }
            #expect(!rows.contains(-1) && rows == rows.sorted(), "at \(w)x\(h): \(rows)\n\(b.text)")
            #expect(rows.allSatisfy { $0 > title! })
        }
    }

    @Test func codesCarryTheirCloseCodeColours() throws {
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40)
        let strip = (try #require(b.find("1000×3 1006×1 1008×2 1011×5")))
        #expect(b[strip.x, strip.y].style == theme[.closecodeNormal])
        #expect(b[strip.x + 7, strip.y].style == theme[.statusFail]) // 1006: any other code is a failure
        #expect(b[strip.x + 14, strip.y].style == theme[.closecodePolicy])
        #expect(b[strip.x + 21, strip.y].style == theme[.closecodeInternal])
        let internalCode = (try #require(b.find("1011 internal error")))
        #expect(b[internalCode.x, internalCode.y].style == theme[.closecodeInternal])
        let policy = (try #require(b.find("1008 policy violation")))
        #expect(b[policy.x, policy.y].style == theme[.closecodePolicy])
    }

    @Test func sitsBesideTheLogOnWideTerminalsAndAboveItOnNarrowOnes() throws {
        let (wide, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40)
        let y = (try #require(Fixtures.row(wide, "─ events ")))
        #expect(wide.line(y).contains("closes 1000×3"))
        let (narrow, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 80, height: 24)
        #expect((try #require(Fixtures.row(narrow, "closes 1000×3"))) < (try #require(Fixtures.row(narrow, "─ events "))))
    }

    /// The demo's timeline: one flip, then five concurrent connections closed 1011 twice over. The flip is
    /// what the pane is for; the closes are in the panel beside or above it.
    @Test func theEventPaneLeavesClosesToThePanelSoFlipsStayInView() {
        var s = DashboardFixtures.snapshot()
        let flip = LogEntry(at: Fixtures.now.addingTimeInterval(-20), probe: "rate_limiting_real", from: .fail, to: .pass, message: "29×200 21×429")
        let burst = (0..<10).map { k in
            LogEntry(at: Fixtures.now.addingTimeInterval(Double(k - 10)), probe: "websocket_concurrent",
                     message: "closed 1011 (internal error): burst \(k)", closeCode: 1011)
        }
        // A first result has no "from": the line goes straight to the verdict, class and message.
        let first = LogEntry(at: Fixtures.now.addingTimeInterval(-30), probe: "ws_send", to: .fail, failureClass: .wsInternal,
                             message: "closed 1011")
        s.log = [first, flip] + burst
        s.logTotal = s.log.count
        for (w, h) in [(80, 24), (120, 40)] {
            let (b, _) = Fixtures.render(s, width: w, height: h)
            #expect(Fixtures.row(b, "rate_limiting_real fail → pass") != nil, "at \(w)x\(h):\n\(b.text)")
            #expect(Fixtures.row(b, "(internal error): burst") == nil, "at \(w)x\(h)")
            #expect(Fixtures.row(b, "ws_send fail ws_internal closed 1011") != nil, "at \(w)x\(h):\n\(b.text)")
        }
    }

    @Test func hiddenWhenNothingClosed() {
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(closes: [], counts: [:]), width: 120, height: 40)
        #expect(Fixtures.row(b, "closes") == nil)
        let (p1, _) = Fixtures.render(Fixtures.p1(), width: 80, height: 24)
        #expect(Fixtures.row(p1, "─ closes") == nil)
    }

    @Test func squeezedToOneLineItKeepsTheCountsAndTheLatestClose() {
        let panel = ClosePanel(r: Renderer(), snapshot: DashboardFixtures.snapshot(), zone: TimeZone(identifier: "UTC")!)
        var b = Buffer(width: 100, height: 1)
        panel.render(into: &b, area: b.area)
        #expect(b.line(0).hasPrefix("─ closes 1000×3 1006×1 1008×2 1011×5  last 11:23:42 websocket_connection 1011 internal error"))
    }

    @Test func aTokenEchoedInACloseReasonIsNotShown() {
        let leak = [CloseRecord(at: Fixtures.now, probe: "ws", code: 1008, reason: "bad token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")]
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(closes: leak, counts: [1008: 1]), width: 120, height: 40)
        #expect(!b.text.contains("eyJhbGciOiJIUzI1NiJ9"))
        #expect(b.text.contains("1008 policy violation  bad token ••••"))
    }
}
