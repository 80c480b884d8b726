import Testing
@testable import StageUI

@Suite struct WidthTests {
    @Test(arguments: [
        ("a", 1), ("日", 2), ("한", 2), ("Ｗ", 2), ("✅", 2), ("🚀", 2), ("😀", 2), ("🇩🇪", 2),
        ("─", 1), ("│", 1), ("█", 1), ("▁", 1), ("✔", 1), ("✖", 1), ("⧗", 1), ("…", 1), ("é", 1), ("e\u{301}", 1),
        ("✔\u{FE0F}", 2),
    ])
    func characterWidths(_ c: String, _ width: Int) {
        #expect(CharWidth.of(Character(c)) == width)
    }

    @Test func stringWidthCountsColumns() {
        #expect(TextWidth.of("abc") == 3)
        #expect(TextWidth.of("日本語") == 6)
        #expect(TextWidth.of("ok ✅") == 5)
    }

    @Test func truncateAddsEllipsisOnlyWhenCutting() {
        #expect(TextWidth.truncate("backend_health", to: 20) == "backend_health")
        #expect(TextWidth.truncate("backend_health", to: 8) == "backend…")
        #expect(TextWidth.of(TextWidth.truncate("backend_health", to: 8)) == 8)
        #expect(TextWidth.truncate("abc", to: 1) == "…")
        #expect(TextWidth.truncate("abc", to: 0) == "")
        #expect(TextWidth.truncate("abcdef", to: 4, ellipsis: "~") == "abc~")
    }

    @Test func truncateNeverSplitsAWideCharacter() {
        let t = TextWidth.truncate("日本語です", to: 6)
        #expect(t == "日本…") // 4 + 1: the third wide char would overflow
        #expect(TextWidth.of(t) <= 6)
    }

    @Test func fitPadsAndAligns() {
        #expect(TextWidth.fit("ab", width: 5) == "ab   ")
        #expect(TextWidth.fit("ab", width: 5, align: .right) == "   ab")
        #expect(TextWidth.fit("日", width: 3, align: .right) == " 日")
    }

    @Test func wrapBreaksAtSpacesAndSplitsLongWords() {
        #expect(TextWidth.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(TextWidth.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextWidth.wrap("a\nb", width: 10) == ["a", "b"])
        #expect(TextWidth.wrap("日本", width: 1) == ["日", "本"]) // terminates even when nothing fits
    }
}
