import Testing
@testable import StageUI

@Suite struct BufferTests {
    let red = Style(fg: .ansi(1))

    @Test func setWritesTextAndStyle() {
        var b = Buffer(width: 10, height: 2)
        let end = b.set(x: 2, y: 1, "abc", style: red)
        #expect(end == 5)
        #expect(b.line(1) == "  abc     ")
        #expect(b[2, 1].style == red)
        #expect(b[5, 1].style == .plain)
    }

    @Test func setClipsAtBufferEdgesAndClipRect() {
        var b = Buffer(width: 5, height: 1)
        b.set(x: -2, y: 0, "abcdefgh", style: .plain)
        #expect(b.line(0) == "cdefg")
        b.set(x: 0, y: 5, "zzz", style: .plain) // outside: nothing, no crash
        var c = Buffer(width: 8, height: 1)
        c.set(x: 0, y: 0, "abcdefgh", style: .plain, clip: Rect(x: 2, y: 0, width: 3, height: 1))
        #expect(c.line(0) == "  cde   ")
    }

    @Test func wideCharactersTakeTwoCellsWithAContinuation() {
        var b = Buffer(width: 6, height: 1)
        let end = b.set(x: 0, y: 0, "日本x", style: red)
        #expect(end == 5)
        #expect(b[0, 0].grapheme == "日" && b[0, 0].width == 2)
        #expect(b[1, 0].isContinuation)
        #expect(b[2, 0].grapheme == "本" && b[3, 0].isContinuation)
        #expect(b[4, 0].grapheme == "x")
        #expect(b.line(0) == "日本x ")
    }

    @Test func wideCharacterAtTheRightEdgeBecomesASpace() {
        var b = Buffer(width: 3, height: 1)
        b.set(x: 0, y: 0, "ab日", style: .plain)
        #expect(b.line(0) == "ab ")
        #expect(!b.cells.contains { $0.isContinuation })
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var b = Buffer(width: 4, height: 1)
        b.set(x: 0, y: 0, "日", style: .plain)
        b.set(x: 1, y: 0, "x", style: .plain) // over the continuation
        #expect(b[0, 0].grapheme == " " && b[0, 0].width == 1)
        #expect(b[1, 0].grapheme == "x")
        var c = Buffer(width: 4, height: 1)
        c.set(x: 0, y: 0, "日", style: .plain)
        c.set(x: 0, y: 0, "y", style: .plain) // over the leader
        #expect(c[1, 0].grapheme == " " && !c[1, 0].isContinuation)
        #expect(c.line(0) == "y   ")
    }

    @Test func emojiAreWideAndBoxDrawingIsNarrow() {
        var b = Buffer(width: 8, height: 1)
        b.set(x: 0, y: 0, "✅─█✔", style: .plain)
        #expect(b[0, 0].width == 2)
        #expect(b[2, 0].grapheme == "─" && b[2, 0].width == 1)
        #expect(b[3, 0].grapheme == "█" && b[4, 0].grapheme == "✔")
    }

    @Test func controlCharactersNeverReachTheGrid() {
        var b = Buffer(width: 8, height: 1)
        b.set(x: 0, y: 0, "a\nb\u{1B}[c", style: .plain)
        #expect(b.line(0) == "a b?[c  ")
        #expect(!b.cells.contains { $0.grapheme.unicodeScalars.contains { $0.value < 0x20 } })
    }

    @Test func fillAndPatch() {
        var b = Buffer(width: 4, height: 3)
        b.set(x: 0, y: 1, "abcd", style: red)
        b.patch(Rect(x: 0, y: 1, width: 4, height: 1), style: Style(bg: .ansi(4), attrs: .bold))
        #expect(b[0, 1].style == Style(fg: .ansi(1), bg: .ansi(4), attrs: .bold))
        b.fill(Rect(x: 1, y: 0, width: 2, height: 3), style: .plain, with: "#")
        #expect(b.lines == [" ## ", "a##d", " ## "])
    }

    @Test func asciiTransliterationLeavesOnlyASCII() {
        var b = Buffer(width: 10, height: 1)
        b.set(x: 0, y: 0, "a→b日…", style: .plain)
        b.transliterateToASCII()
        #expect(b.line(0) == "a>b? ~    ")
        #expect(b.cells.allSatisfy { $0.grapheme.utf8.allSatisfy { $0 < 0x80 } && $0.width == 1 })
    }

    @Test func findReportsCellColumns() {
        var b = Buffer(width: 10, height: 2)
        b.set(x: 0, y: 1, "日x needle", style: .plain)
        #expect(b.find("needle")! == (x: 4, y: 1))
        #expect(b.find("absent") == nil)
    }
}
