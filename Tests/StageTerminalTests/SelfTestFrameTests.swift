import StageUI
import Testing
@testable import StageTerminal

/// The self-test frame, headless: what the tmux tests look for must really be in it.
@Suite struct SelfTestFrameTests {
    func frame(width: Int = 100, height: Int = 30) -> Buffer {
        TerminalSelfTest.frame(TerminalSelfTest.State(), width: width, height: height, depth: .c256, unicode: true, term: "tmux-256color")
    }

    @Test func showsTitleSizeAndWideCharacters() {
        let b = frame()
        #expect(b.line(0).hasPrefix(" stagetop terminal self-test"))
        #expect(b.line(1).contains("size 100x30  depth c256  unicode yes  TERM tmux-256color  pid "))
        #expect(b.line(2).hasPrefix(" wide: [漢字テスト] ok"))
        // 5 wide characters take 10 cells: "] ok" starts at column 8 + 10.
        #expect(b.find("] ok")?.x == 18)
        #expect(b[8, 2].width == 2 && b[9, 2].isContinuation)
    }

    @Test func cornerMarkerEndsInTheBottomRightCell() {
        for (w, h) in [(100, 30), (80, 24)] {
            let b = frame(width: w, height: h)
            #expect(b.line(h - 1).hasSuffix("bottom-right>"))
            #expect(b[w - 1, h - 1].grapheme == ">")
        }
    }

    @Test func usesColoursOfEveryKind() {
        let b = frame()
        let styles = Set(b.cells.map(\.style))
        #expect(styles.contains { if case .ansi? = $0.bg { true } else { false } })
        #expect(styles.contains { if case .indexed? = $0.bg { true } else { false } })
        #expect(styles.contains { if case .rgb? = $0.bg { true } else { false } })
        for (_, attr) in Attributes.named { #expect(styles.contains { $0.attrs.contains(attr) }) }
    }
}
