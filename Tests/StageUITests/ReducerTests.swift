import Testing
import StageModel
@testable import StageUI

@Suite struct ReducerTests {
    let s = Fixtures.failures()
    /// The status-sorted order: chat_stream, agent_discovery, user_profile, backend_health, websocket_auth,
    /// websocket_chat_flow, new_probe, legacy_probe, api_health.
    var order: [String] { ProbeRows.ordered(s, sort: .status, filter: "").map { s.probes[$0].name } }

    func press(_ keys: [Key], _ state: inout ViewState) -> [Command] {
        keys.flatMap { reduce(&state, key: $0, snapshot: s) }
    }

    @Test func movingFollowsTheDisplayedOrder() {
        var v = ViewState()
        _ = press([.down], &v)
        #expect(v.selected == order[1])
        _ = press([.char("j"), .char("j")], &v)
        #expect(v.selected == order[3])
        _ = press([.up, .char("k")], &v)
        #expect(v.selected == order[1])
        _ = press([.up, .up, .up], &v) // clamps at the top
        #expect(v.selected == order[0])
        _ = press([.end], &v)
        #expect(v.selected == order.last)
        _ = press([.down], &v) // clamps at the bottom
        #expect(v.selected == order.last)
        _ = press([.home], &v)
        #expect(v.selected == order[0])
    }

    @Test func pagingMovesByThePageSizeTheRendererReported() {
        var v = ViewState()
        v.pageSize = 4
        _ = press([.pageDown], &v)
        #expect(v.selected == order[4])
        _ = press([.pageDown, .pageDown], &v)
        #expect(v.selected == order.last)
        _ = press([.pageUp], &v)
        #expect(v.selected == order[order.count - 1 - 4])
    }

    @Test func enterOpensTheDetailAndEscGoesBack() {
        var v = ViewState()
        _ = press([.down, .enter], &v)
        #expect(v.detail == order[1])
        _ = press([.down, .down], &v) // scrolls the detail, the selection stays
        #expect(v.detailScroll == 2 && v.selected == order[1])
        #expect(press([.char("r")], &v) == [.rerun(order[1])])
        _ = press([.escape], &v)
        #expect(v.detail == nil && v.detailScroll == 0)
    }

    @Test func filterTypingAppliesAndCancels() {
        var v = ViewState()
        _ = press([.char("/"), .char("w"), .char("s"), .char("_"), .char("x"), .backspace], &v)
        #expect(v.filterDraft == "ws_" && v.filter == "")
        #expect(v.activeFilter == "ws_")
        _ = press([.enter], &v)
        #expect(v.filter == "ws_" && v.filterDraft == nil)
        #expect(ProbeRows.ordered(s, sort: v.sort, filter: v.filter).map { s.probes[$0].name } == ["websocket_auth", "websocket_chat_flow"])
        // Typing again starts from the applied filter; Esc keeps it.
        _ = press([.char("/"), .char("z"), .escape], &v)
        #expect(v.filter == "ws_" && v.filterDraft == nil)
        // Esc in normal mode clears it.
        _ = press([.escape], &v)
        #expect(v.filter == "")
    }

    @Test func keysAreTextWhileTypingAFilter() {
        var v = ViewState()
        let commands = press([.char("/"), .char("q"), .char("r"), .char("p"), .char("?")], &v)
        #expect(commands.isEmpty) // no quit, rerun or pause
        #expect(v.filterDraft == "qrp?" && !v.showHelp)
    }

    @Test func movingWithinAFilterSelectsOnlyMatchingProbes() {
        var v = ViewState()
        v.filter = "api"
        _ = press([.down], &v)
        let matching = ProbeRows.ordered(s, sort: .status, filter: "api").map { s.probes[$0].name }
        #expect(v.selected == matching[1])
    }

    @Test func sortCyclesThroughEveryOrder() {
        var v = ViewState()
        var seen: [SortOrder] = [v.sort]
        for _ in 0..<4 { _ = press([.char("s")], &v); seen.append(v.sort) }
        #expect(seen == [.status, .name, .latency, .group, .status])
    }

    @Test func selectionFollowsTheProbeWhenTheOrderChanges() {
        var v = ViewState()
        v.selected = "backend_health"
        _ = press([.char("s")], &v) // name order: agent_discovery, api_health, backend_health, chat_stream …
        _ = press([.down], &v)
        #expect(v.selected == "chat_stream")
    }

    @Test func commandsForTheApp() {
        var v = ViewState()
        #expect(press([.char("r")], &v) == [.rerun(order[0])])
        #expect(press([.char("R")], &v) == [.rerunAll])
        #expect(press([.char("p")], &v) == [.togglePause])
        #expect(press([.char("t")], &v) == [.nextTheme])
        #expect(press([.char("q")], &v) == [.quit])
        #expect(press([.resize, .none, .char("Z")], &v).isEmpty)
    }

    @Test func helpOpensClosesAndSwallowsOtherKeys() {
        var v = ViewState()
        _ = press([.char("?")], &v)
        #expect(v.showHelp)
        #expect(press([.char("r"), .down], &v).isEmpty)
        #expect(v.selected == nil)
        _ = press([.escape], &v)
        #expect(!v.showHelp)
        _ = press([.char("?"), .char("?")], &v)
        #expect(!v.showHelp)
        _ = press([.char("?")], &v)
        #expect(press([.char("q")], &v) == [.quit])
    }

    @Test func emptySnapshotsAreSafe() {
        let empty = Snapshot(configName: "x", targetHost: "h", startedAt: Fixtures.t0, takenAt: Fixtures.now, probes: [])
        var v = ViewState()
        for key: Key in [.down, .up, .pageDown, .end, .enter, .char("r")] {
            #expect(reduce(&v, key: key, snapshot: empty).isEmpty)
        }
        #expect(v.selected == nil && v.detail == nil)
    }

    @Test func theKeyMapDrivesTheReducer() {
        var map = KeyMap.standard
        map.bindings.append(KeyAction(key: .char("x"), description: "Quit", action: .quit))
        var v = ViewState()
        #expect(reduce(&v, key: .char("x"), snapshot: s, keyMap: map) == [.quit])
        #expect(reduce(&v, key: .char("x"), snapshot: s).isEmpty)
    }
}
