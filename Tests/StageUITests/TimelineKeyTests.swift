import Testing
import StageModel
@testable import StageUI

@Suite struct TimelineKeyTests {
    @Test func nIsBoundOnlyInTheTimelineMap() {
        var view = ViewState()
        let snap = Fixtures.p1()
        #expect(reduce(&view, key: .char("n"), snapshot: snap, keyMap: .standard).isEmpty)
        #expect(reduce(&view, key: .char("n"), snapshot: snap, keyMap: .timeline) == [.nextScenario])
    }

    @Test func timelineHelpAndHintsShowTheKey() {
        var view = ViewState()
        view.showHelp = true
        let (help, _) = Fixtures.render(Fixtures.p1(), width: 120, height: 40, view: view, renderer: Renderer(keyMap: .timeline))
        #expect(help.text.contains("next report's scenario"))
        let (plain, _) = Fixtures.render(Fixtures.p1(), width: 120, height: 40, view: view, renderer: Renderer())
        #expect(!plain.text.contains("next report's scenario"))
    }
}
