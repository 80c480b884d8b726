import Testing
@testable import StageUI

@Suite struct LayoutTests {
    @Test func splitServesFixedAndPercentThenFill() {
        let parts = Rect(x: 0, y: 0, width: 80, height: 24).split(.vertical, [.fixed(2), .fill(1), .percent(25), .fixed(1)])
        #expect(parts.map(\.height) == [2, 15, 6, 1])
        #expect(parts.map(\.y) == [0, 2, 17, 23])
        #expect(parts.allSatisfy { $0.width == 80 })
    }

    @Test func fillsShareByWeightAndTileExactly() {
        let parts = Rect(x: 5, y: 0, width: 10, height: 1).split(.horizontal, [.fill(1), .fill(2)])
        #expect(parts.map(\.width) == [3, 7])
        #expect(parts[1].x == 8 && parts[1].right == 15)
    }

    @Test func overConstrainedSplitsShrinkLaterParts() {
        let parts = Rect(x: 0, y: 0, width: 10, height: 3).split(.vertical, [.fixed(2), .fixed(5), .fill(1)])
        #expect(parts.map(\.height) == [2, 1, 0])
        let none = Rect.zero.split(.horizontal, [.fixed(3), .fill(1)])
        #expect(none.allSatisfy { $0.isEmpty })
    }

    @Test func rectHelpersClampAtEmpty() {
        let r = Rect(x: 0, y: 0, width: 3, height: 2)
        #expect(r.inset(by: 2).isEmpty)
        #expect(r.intersection(Rect(x: 5, y: 5, width: 2, height: 2)).isEmpty)
        #expect(Rect(x: 0, y: 0, width: 80, height: 24).centered(width: 10, height: 4) == Rect(x: 35, y: 10, width: 10, height: 4))
    }

    @Test func tableLayoutDropsLowestPriorityColumnsFirst() {
        let cols = [
            TableColumn("A", .fixed(10), priority: 100),
            TableColumn("B", .fixed(10), priority: 10),
            TableColumn("C", .flex(min: 10, max: nil), priority: 50),
            TableColumn("D", .fixed(10), priority: 20),
        ]
        #expect(Table.layout(cols, width: 43) == [10, 10, 10, 10])
        #expect(Table.layout(cols, width: 40) == [10, nil, 18, 10]) // B (10) goes first, C takes the rest
        #expect(Table.layout(cols, width: 25) == [10, nil, 14, nil])
        #expect(Table.layout(cols, width: 5) == [5, nil, nil, nil])
    }

    @Test func flexColumnsShareExtraSpaceFairly() {
        let cols = [TableColumn("N", .flex(min: 4, max: 30)), TableColumn("M", .flex(min: 4, max: nil))]
        let w = Table.layout(cols, width: 21)
        #expect(w == [10, 10]) // 12 extra split evenly, not all to the first
        #expect(Table.layout([TableColumn("N", .flex(min: 4, max: 6)), TableColumn("M", .flex(min: 4, max: nil))], width: 31) == [6, 24])
    }
}
