import Foundation
import Testing
@testable import StageModel
@testable import StageUI

@Suite struct CycleHeaderTests {
    let theme = Theme.builtinDefault.resolved(for: .truecolor)

    @Test func betterCycleShowsAnUpArrowAndTheSignedChange() throws {
        for (w, h) in [(80, 24), (120, 40)] {
            let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: w, height: h)
            #expect(b.line(0).contains("cycle 2  22/25 ▲ from 21/25 (+1)"), "at \(w)x\(h): \(b.line(0))")
            let pos = (try #require(b.find("▲ from")))
            #expect(b[pos.x, pos.y].style == theme[.statusPass])
            let ratio = (try #require(b.find("22/25 ▲")))
            #expect(b[ratio.x, ratio.y].style.fg == theme[.statusFail].fg) // 22/25 is not all green
        }
    }

    @Test func aWorseCycleIsNeverCalledAnImprovement() throws {
        // The 2025-09-09 report: "21/25 … improved from previous 22/25".
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(cycles: DashboardFixtures.worsening), width: 80, height: 24)
        #expect(b.line(0).contains("cycle 2  21/25 ▼ from 22/25 (-1)"))
        let pos = (try #require(b.find("▼ from")))
        #expect(b[pos.x, pos.y].style == theme[.statusFail])
        let same = [DashboardFixtures.cycle(1, passed: 22), DashboardFixtures.cycle(2, passed: 22)]
        let (s, _) = Fixtures.render(DashboardFixtures.snapshot(cycles: same), width: 80, height: 24)
        #expect(s.line(0).contains("cycle 2  22/25 = from 22/25 (±0)"))
        // Rates, not counts, decide the arrow: 22/26 after 21/24 is worse although one more passed.
        #expect(CycleFormat.direction(DashboardFixtures.cycle(2, passed: 22, counted: 26), from: DashboardFixtures.cycle(1, passed: 21, counted: 24)) == .worse)
        let allGreen = [DashboardFixtures.cycle(1, passed: 22), DashboardFixtures.cycle(2, passed: 25)]
        let (g, _) = Fixtures.render(DashboardFixtures.snapshot(cycles: allGreen), width: 80, height: 24)
        #expect(g.line(0).contains("cycle 2  25/25 ▲ from 22/25 (+3)"))
        let ratio = (try #require(g.find("25/25 ▲")))
        #expect(g[ratio.x, ratio.y].style.fg == theme[.statusPass].fg)
    }

    @Test func flippedProbesFollowWhenThereIsRoomRegressionsFirst() throws {
        let (wide, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 200, height: 40)
        #expect(wide.line(0).contains("(+1)  ↓ agent_start ↑ backend_health ↑ thread_history"), "\(wide.line(0))")
        let down = (try #require(wide.find("↓ agent_start")))
        #expect(wide[down.x, down.y].style == theme[.statusFail])
        let up = (try #require(wide.find("↑ backend_health")))
        #expect(wide[up.x, up.y].style == theme[.statusPass])
        let (mid, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 120, height: 40)
        #expect(mid.line(0).contains("(+1)  ↓ agent_start +2"), "\(mid.line(0))") // as many as fit, then a count
        let (narrow, _) = Fixtures.render(DashboardFixtures.snapshot(), width: 80, height: 24)
        #expect(!narrow.line(0).contains("agent_start")) // no room: the figures stay whole
        #expect(narrow.line(0).contains("11:24:44 UTC"))
    }

    @Test func beforeAnyCycleClosedTheCountIsShown() {
        let (b, _) = Fixtures.render(DashboardFixtures.snapshot(cycles: []), width: 120, height: 40)
        #expect(b.line(0).contains("cycle 0"))
        #expect(b.line(0).contains("in progress 7/12"))
    }
}

@Suite struct CycleScreenTests {
    let theme = Theme.builtinDefault.resolved(for: .truecolor)

    func cycles(_ view: ViewState = ViewState(), cycles: [CycleSummary] = DashboardFixtures.improving, width: Int, height: Int) -> (Buffer, ViewState) {
        var v = view
        v.showCycles = true
        return Fixtures.render(DashboardFixtures.snapshot(cycles: cycles), width: width, height: height, view: v)
    }

    @Test func rowsNewestFirstWithRatioChangeProblemsLatencyAndFlips() throws {
        let (b, _) = cycles(width: 120, height: 40)
        #expect(b.text.contains("2 closed · best 22/25 · worst 21/25 · hangs in 2 · cycle 3 in progress 7/12"))
        let header = b.line((try #require(Fixtures.row(b, "CYCLE ENDED"))))
        for col in ["CYCLE", "ENDED", "TOOK", "RESULT", "CHANGE", "PASS", "FAIL", "HANG", "ERR", "AVG", "FLIPS"] { #expect(header.contains(col), "\(col)") }
        let two = Fixtures.row(b, "    2 10:41:55     55s     22/25 ▲ +1    88%    2    1    0   82.7ms ↓ agent_start ↑ backend_health ↑ thread_history")
        let one = Fixtures.row(b, "    1 10:40:55     55s     21/25 first   84%    2    2    0   82.7ms -")
        #expect(two != nil && one != nil && two! < one!, "\(b.text)")
        let hang = (try #require(b.find("    1    0   82.7ms ↓")))
        #expect(b[hang.x + 4, hang.y].style == theme[.statusHang])
        #expect(b.line(39).contains("Esc back") && b.line(39).contains("c close"))
    }

    @Test func narrowTerminalsKeepResultAndProblems() throws {
        let (b, _) = cycles(cycles: DashboardFixtures.worsening, width: 80, height: 24)
        let y = (try #require(Fixtures.row(b, "    2 10:41:55")))
        #expect(b.line(y).contains("21/25 ▼ -1    84%    2    2    0 ↓ websocket_connection"), "\(b.line(y))")
        #expect(!b.line((try #require(Fixtures.row(b, "CYCLE")))).contains("TOOK"))
    }

    @Test func scrollsThroughManyCyclesAndClamps() {
        let many = (1...30).map { DashboardFixtures.cycle($0, passed: 20 + $0 % 5) }
        var v = ViewState()
        v.cycleScroll = 1000
        let (b, after) = cycles(v, cycles: many, width: 80, height: 24)
        #expect(after.cycleScroll == 30 - after.pageSize)
        #expect(b.text.contains("\(after.cycleScroll + 1)-30 of 30"))
        #expect(b.text.contains("    1 10:40:55")) // the oldest is on the last page
        let (top, _) = cycles(width: 80, height: 24, cycles: many)
        #expect(Fixtures.row(top, "   30 ") != nil && Fixtures.row(top, "    1 10:40:55") == nil)
    }

    func cycles(width: Int, height: Int, cycles list: [CycleSummary]) -> (Buffer, ViewState) { cycles(cycles: list, width: width, height: height) }

    @Test func emptyBeforeTheFirstCycleCloses() {
        let (b, _) = cycles(cycles: [], width: 80, height: 24)
        #expect(b.text.contains("no cycle has closed yet"))
    }

    @Test func cKeyOpensAndClosesAndEscReturnsWhereItCameFrom() {
        let s = DashboardFixtures.snapshot()
        var v = ViewState()
        #expect(reduce(&v, key: .char("c"), snapshot: s).isEmpty)
        #expect(v.showCycles)
        _ = reduce(&v, key: .down, snapshot: s)
        _ = reduce(&v, key: .pageDown, snapshot: s)
        #expect(v.cycleScroll == 1 + v.pageSize)
        _ = reduce(&v, key: .home, snapshot: s)
        #expect(v.cycleScroll == 0)
        #expect(reduce(&v, key: .enter, snapshot: s).isEmpty && v.detail == nil) // no detail from here
        _ = reduce(&v, key: .char("c"), snapshot: s)
        #expect(!v.showCycles)
        // From a detail view: c shows the cycles, Esc goes back to the detail.
        v.detail = "chat_stream"
        _ = reduce(&v, key: .char("c"), snapshot: s)
        #expect(v.showCycles && v.detail == "chat_stream")
        _ = reduce(&v, key: .escape, snapshot: s)
        #expect(!v.showCycles && v.detail == "chat_stream")
        // Global keys still work on top of it.
        _ = reduce(&v, key: .char("c"), snapshot: s)
        #expect(reduce(&v, key: .char("q"), snapshot: s) == [.quit])
        #expect(reduce(&v, key: .char("p"), snapshot: s) == [.togglePause])
    }

    @Test func cIsInTheHintBarAndTheHelp() {
        for (w, h) in [(80, 24), (120, 40)] {
            let (b, _) = Fixtures.render(DashboardFixtures.snapshot(), width: w, height: h)
            #expect(b.line(h - 1).contains("c cycles"), "at \(w)x\(h): \(b.line(h - 1))")
            var v = ViewState()
            v.showHelp = true
            let (help, _) = Fixtures.render(DashboardFixtures.snapshot(), width: w, height: h, view: v)
            #expect(help.lines.contains { $0.contains(" c ") && $0.contains("Show or hide the cycles") }, "help at \(w)x\(h)")
        }
        #expect(KeyMap.standard.action(for: .char("c")) == .toggleCycles)
    }
}
