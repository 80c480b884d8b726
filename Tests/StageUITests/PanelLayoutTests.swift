import Foundation
import Testing
import StageModel
@testable import StageUI

@Suite struct PanelLayoutTests {
    @Test func everythingAtOnceAt80x24KeepsSixProbeRows() {
        let failed = LoginState(phase: .failed, message: "401 Invalid E2E bypass key", at: Fixtures.now)
        var s = DashboardFixtures.snapshot(login: failed)
        s.probes += SyntheticDashboard.snapshot(probes: 40).probes // more rows than fit
        let (b, v) = Fixtures.render(s, width: 80, height: 24)
        #expect(v.pageSize >= 6, "table rows: \(v.pageSize)")
        // Every pane is there, at least as its summary line.
        #expect(b.text.contains("LOGIN FAILED") && b.text.contains("watchdogs") && b.text.contains("closes 1000×3"))
        #expect(b.line(23).hasPrefix("q quit"))
    }

    @Test func panesAppearOnlyWithContentAndKeepTheOldLayoutOtherwise() {
        let (b, v) = Fixtures.render(Fixtures.p1(), width: 80, height: 24)
        #expect(v.pageSize == 24 - 2 - 4 - 1 - 1)
        #expect(!b.text.contains("watchdogs") && !b.text.contains("─ closes"))
    }

    @Test func at120x40BothPanesShowTheirWholeContent() {
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40)
        for needle in ["watchdogs 2 running · 2 fired", " chat_stream ", " events_stream ", "11:24:14 chat_stream", "11:23:14 critical_event_delivery",
                       "closes 1000×3 1006×1 1008×2 1011×5", "11:23:42 websocket_connection", "11:19:44 websocket_held"] {
            #expect(b.text.contains(needle), "\(needle)")
        }
    }

    @Test func shrinkingOrderLogThenPanesThenLogGoneThenPanes() {
        let body = Rect(x: 0, y: 3, width: 80, height: 20)
        let roomy = PanelLayout.plan(body: body, log: 4, watchdog: 3, closes: 3)
        #expect(roomy.log.height == 4 && roomy.watchdog.height == 3 && roomy.closes.height == 3 && roomy.table.height == 10)
        // The table keeps half the body (10 of 20) when it has that much to show...
        let tight = PanelLayout.plan(body: body, log: 4, watchdog: 6, closes: 9)
        #expect(tight.table.height == 10)
        #expect(tight.log.height == 3 && tight.watchdog.height + tight.closes.height == 7)
        // ...and only what it needs when it has less (a header and three probes), never under tableMin.
        let few = PanelLayout.plan(body: body, log: 4, watchdog: 6, closes: 9, table: 4)
        #expect(few.table.height == PanelLayout.tableMin)
        #expect(few.log.height == 3 && few.watchdog.height + few.closes.height == 10)
        let squeezed = PanelLayout.plan(body: Rect(x: 0, y: 0, width: 80, height: 11), log: 4, watchdog: 6, closes: 9)
        #expect(squeezed.table.height == 7 && squeezed.watchdog.height == 1 && squeezed.closes.height == 1 && squeezed.log.height == 2)
        let tiny = PanelLayout.plan(body: Rect(x: 0, y: 0, width: 80, height: 5), log: 4, watchdog: 6, closes: 9)
        #expect(tiny.table.height == 5 && tiny.watchdog.isEmpty && tiny.closes.isEmpty && tiny.log.isEmpty)
        // Side by side on wide, tall terminals: the close pane shares the log's rows.
        let wide = PanelLayout.plan(body: Rect(x: 0, y: 2, width: 120, height: 37), log: 8, watchdog: 5, closes: 5)
        #expect(wide.closes.y == wide.log.y && wide.closes.height == wide.log.height && wide.closes.x > wide.log.right - 1)
        #expect(wide.table.height == 37 - 8 - 5)
    }

    @Test func tinySizesNeverCrashOnAnyScreen() {
        let failed = LoginState(phase: .failed, message: "401 Invalid E2E bypass key", at: Fixtures.now)
        let snapshots = [DashboardFixtures.snapshot(login: failed), DashboardFixtures.snapshot(cycles: []),
                         DashboardFixtures.snapshot(streams: [], closes: [], counts: [:], watchdogs: [])]
        var views: [ViewState] = [ViewState()]
        for name in ["websocket_connection", "chat_stream", "rate_limiting", "websocket_chat_flow"] {
            var v = ViewState(); v.detail = name; views.append(v)
        }
        var cycles = ViewState(); cycles.showCycles = true; views.append(cycles)
        var help = ViewState(); help.showHelp = true; help.replay = ReplayStatus(cycle: 1, cycles: 1); views.append(help)
        var replay = ViewState(); replay.replay = ReplayStatus(cycle: 0, cycles: 0, speed: .infinity); views.append(replay)
        for w in [0, 1, 2, 5, 20, 79, 80, 81, 100] {
            for h in [0, 1, 2, 3, 23, 24, 25, 26, 30] {
                for s in snapshots {
                    for v in views {
                        let (b, _) = Fixtures.render(s, width: w, height: h, view: v)
                        #expect(b.width == w && b.height == h && b.cells.count == w * h)
                    }
                }
            }
        }
        // Panes and widgets drawn straight into odd areas.
        var b = Buffer(width: 3, height: 2)
        let s = DashboardFixtures.snapshot()
        let zone = TimeZone(identifier: "UTC")!
        for area in [Rect.zero, Rect(x: 0, y: 0, width: 3, height: 1), Rect(x: 2, y: 1, width: 9, height: 9)] {
            WatchdogPanel(r: Renderer(), snapshot: s, zone: zone).render(into: &b, area: area)
            ClosePanel(r: Renderer(), snapshot: s, zone: zone).render(into: &b, area: area)
            PanelTitle(r: Renderer(), title: "closes", summary: Line("x"), borderStyle: .plain).render(into: &b, area: area)
        }
        #expect(b.width == 3)
    }
}
