import StageUI
import Testing
@testable import StageTerminal

/// Records what the pair cache asks ncurses for.
final class RecordingAllocator {
    var calls: [(pair: Int32, fg: Int32, bg: Int32)] = []
    var refuse: Set<Int32> = []

    func allocate(_ pair: Int32, _ fg: Int32, _ bg: Int32) -> Bool {
        calls.append((pair, fg, bg))
        return !refuse.contains(pair)
    }
}

@Suite struct ColorPairsTests {
    func cache(limit: Int32 = 256, _ recorder: RecordingAllocator) -> ColorPairs {
        ColorPairs(limit: limit) { recorder.allocate($0, $1, $2) }
    }

    @Test func defaultOnDefaultIsPairZeroWithoutAllocation() {
        let r = RecordingAllocator()
        var pairs = cache(r)
        #expect(pairs.pair(fg: -1, bg: -1) == 0)
        #expect(r.calls.isEmpty)
    }

    @Test func eachCombinationIsAllocatedOnceAndReused() {
        let r = RecordingAllocator()
        var pairs = cache(r)
        let a = pairs.pair(fg: 1, bg: -1)
        let b = pairs.pair(fg: 2, bg: 4)
        for _ in 0..<1000 {
            #expect(pairs.pair(fg: 1, bg: -1) == a)
            #expect(pairs.pair(fg: 2, bg: 4) == b)
        }
        #expect((a, b) == (1, 2))
        #expect(r.calls.count == 2)
        #expect(r.calls.map(\.fg) == [1, 2])
        #expect(r.calls.map(\.bg) == [-1, 4])
        #expect(pairs.count == 2)
    }

    @Test func pairsAbove255AreHandedOut() {
        // COLOR_PAIR() in attributes stops at 255; the cache must not: setcchar carries the rest.
        let r = RecordingAllocator()
        var pairs = cache(limit: 65536, r)
        var last: Int32 = 0
        for fg in Int32(0)..<300 { last = pairs.pair(fg: fg, bg: 0) }
        #expect(last == 300)
        #expect(r.calls.count == 300)
    }

    @Test func exhaustedTableFallsBackToPairZeroWithoutRetrying() {
        let r = RecordingAllocator()
        var pairs = cache(limit: 3, r)  // pairs 1 and 2 only
        #expect(pairs.pair(fg: 1, bg: 0) == 1)
        #expect(pairs.pair(fg: 2, bg: 0) == 2)
        #expect(pairs.pair(fg: 3, bg: 0) == 0)
        #expect(pairs.pair(fg: 3, bg: 0) == 0)
        #expect(r.calls.count == 2)
    }

    @Test func refusedPairIsRememberedAsDefault() {
        let r = RecordingAllocator()
        r.refuse = [1]
        var pairs = cache(r)
        #expect(pairs.pair(fg: 9, bg: 9) == 0)
        #expect(pairs.pair(fg: 9, bg: 9) == 0)
        #expect(r.calls.count == 1)
        // The refused number is not burnt: the next combination may still get it.
        r.refuse = []
        #expect(pairs.pair(fg: 8, bg: 8) == 1)
    }
}

@Suite struct CellStylesTests {
    func styles(_ depth: ColorDepth, direct: Bool = false, defaultColors: Bool = true,
                _ r: RecordingAllocator) -> CellStyles {
        CellStyles(numbering: ColorNumbering(depth: depth, direct: direct, defaultColors: defaultColors),
                   pairs: ColorPairs(limit: 1 << 15) { r.allocate($0, $1, $2) })
    }

    @Test func drawingTheSameStylesTwiceAllocatesNoNewPairs() {
        let r = RecordingAllocator()
        var s = styles(.c256, r)
        let palette: [Style] = [
            .plain, Style(fg: .ansi(1)), Style(fg: .ansi(2), attrs: [.bold]), Style(fg: .indexed(208), bg: .indexed(236)),
            Style(fg: .rgb(255, 0, 0)), Style(bg: .ansi(4), attrs: [.reverse]),
        ]
        let first = palette.map { s.look($0) }
        let afterFirst = r.calls.count
        let second = palette.map { s.look($0) }
        #expect(first == second)
        #expect(r.calls.count == afterFirst)
        // Bold red and red share a pair: attributes are not part of the pair.
        #expect(s.look(Style(fg: .ansi(1), attrs: [.bold])).pair == s.look(Style(fg: .ansi(1))).pair)
        #expect(r.calls.count == afterFirst)
    }

    @Test func c256MapsRGBToTheNearestIndex() {
        let r = RecordingAllocator()
        var s = styles(.c256, r)
        _ = s.look(Style(fg: .rgb(255, 0, 0), bg: .default))
        #expect(r.calls.count == 1)
        #expect(r.calls[0].fg == 196)
        #expect(r.calls[0].bg == -1)
    }

    @Test func ansi8MapsBrightAndIndexedColoursDown() {
        let r = RecordingAllocator()
        var s = styles(.ansi8, r)
        _ = s.look(Style(fg: .ansi(9), bg: .indexed(21)))
        #expect(r.calls.count == 1)
        #expect(r.calls[0].fg < 8 && r.calls[0].bg < 8)
        #expect(r.calls[0].fg == 1)  // bright red → red
        #expect(r.calls[0].bg == 4)  // pure blue → blue
    }

    @Test func monoAllocatesNothingAndKeepsBackgroundsVisibleWithReverse() {
        let r = RecordingAllocator()
        var s = styles(.mono, r)
        let badge = s.look(Style(fg: .ansi(0), bg: .ansi(2), attrs: [.bold]))
        #expect(badge == CellLook(attrs: [.bold, .reverse], pair: 0))
        #expect(s.look(Style(fg: .ansi(1), attrs: [.underline])) == CellLook(attrs: [.underline], pair: 0))
        #expect(r.calls.isEmpty)
    }

    @Test func withoutDefaultColorsTheTerminalColoursBecomeWhiteOnBlack() {
        let r = RecordingAllocator()
        var s = styles(.ansi16, defaultColors: false, r)
        let l = s.look(.plain)
        #expect(l.pair != 0)
        #expect(r.calls.map(\.fg) == [7])
        #expect(r.calls.map(\.bg) == [0])
    }

    @Test func directColourSendsRGBNumbers() {
        let n = ColorNumbering(depth: .truecolor, direct: true, defaultColors: true)
        #expect(n.number(.rgb(0x12, 0x34, 0x56), foreground: true) == 0x123456)
        #expect(n.number(.ansi(3), foreground: true) == 3)          // 0–7 stay ANSI in direct mode
        #expect(n.number(.ansi(9), foreground: true) == 0xFF0000)   // bright red as RGB
        #expect(n.number(.indexed(196), foreground: true) == 0xFF0000)
        #expect(n.number(.indexed(232), foreground: false) == 0x080808)
        #expect(n.number(.rgb(0, 0, 5), foreground: true) == 8)     // never mistaken for ANSI 5
        #expect(n.number(.default, foreground: true) == -1)
        #expect(n.number(nil, foreground: false) == -1)
    }

    @Test func paletteNumbersAtEachDepth() {
        let c256 = ColorNumbering(depth: .c256, direct: false, defaultColors: true)
        #expect(c256.number(.indexed(42), foreground: true) == 42)
        #expect(c256.number(.ansi(12), foreground: true) == 12)
        // A truecolor depth on a palette terminal (never chosen by detection) still yields a valid index.
        let odd = ColorNumbering(depth: .truecolor, direct: false, defaultColors: true)
        #expect(odd.number(.rgb(255, 0, 0), foreground: true) == 196)
    }

    @Test func xtermPaletteMatchesKnownEntries() {
        #expect(Color.xtermRGB(index: 1) == (205, 0, 0))
        #expect(Color.xtermRGB(index: 16) == (0, 0, 0))
        #expect(Color.xtermRGB(index: 21) == (0, 0, 255))
        #expect(Color.xtermRGB(index: 231) == (255, 255, 255))
        #expect(Color.xtermRGB(index: 255) == (238, 238, 238))
    }
}
