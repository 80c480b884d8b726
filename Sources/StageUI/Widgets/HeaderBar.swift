/// One header line of pieces, left- and right-aligned. When the line is too narrow, pieces with the
/// lowest priority are dropped first (whole), so the figures that matter survive at any width.
public struct HeaderBar: Widget {
    public struct Piece: Sendable, Hashable {
        public var line: Line
        /// Higher survives longer.
        public var priority: Int
        public var alignRight: Bool
        public init(_ line: Line, priority: Int, alignRight: Bool = false) {
            self.line = line; self.priority = priority; self.alignRight = alignRight
        }
    }

    public var pieces: [Piece]
    public var separator: String
    public var style: Style

    public init(pieces: [Piece], separator: String = "  ", style: Style = .plain) {
        self.pieces = pieces; self.separator = separator; self.style = style
    }

    /// Which pieces are kept at `width` (by index).
    public func kept(width: Int) -> [Int] {
        var keep = Array(pieces.indices)
        let sepW = TextWidth.of(separator)
        func needed() -> Int {
            let ws = keep.map { pieces[$0].line.width }
            return ws.reduce(0, +) + max(0, keep.count - 1) * sepW
        }
        while !keep.isEmpty && needed() > width {
            let lowest = keep.min { pieces[$0].priority < pieces[$1].priority || (pieces[$0].priority == pieces[$1].priority && $0 > $1) }!
            keep.removeAll { $0 == lowest }
        }
        return keep
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        buffer.fill(row, style: style)
        let keep = kept(width: row.width)
        let left = keep.filter { !pieces[$0].alignRight }
        let right = keep.filter { pieces[$0].alignRight }
        var x = row.x
        for (k, i) in left.enumerated() {
            if k > 0 { x = buffer.set(x: x, y: row.y, separator, style: style, clip: row) }
            x = buffer.set(x: x, y: row.y, line: pieces[i].line, clip: row)
        }
        let rightW = right.map { pieces[$0].line.width }.reduce(0, +) + max(0, right.count - 1) * TextWidth.of(separator)
        var rx = row.right - rightW
        for (k, i) in right.enumerated() {
            if k > 0 { rx = buffer.set(x: rx, y: row.y, separator, style: style, clip: row) }
            rx = buffer.set(x: rx, y: row.y, line: pieces[i].line, clip: row)
        }
    }
}
