/// How wide a column is.
public enum ColumnWidth: Sendable, Hashable {
    case fixed(Int)
    /// At least `min`; grows up to `max` (nil: takes whatever is left) when there is room.
    case flex(min: Int, max: Int?)

    var minimum: Int {
        switch self {
        case .fixed(let n): max(0, n)
        case .flex(let m, _): max(0, m)
        }
    }
}

public struct TableColumn: Sendable, Hashable {
    public var title: String
    public var width: ColumnWidth
    public var align: Alignment
    /// When the table is too narrow the lowest-priority column is dropped first (rightmost on a tie).
    public var priority: Int

    public init(_ title: String, _ width: ColumnWidth, align: Alignment = .left, priority: Int = 100) {
        self.title = title; self.width = width; self.align = align; self.priority = priority
    }
}

/// A column as one value: its header, width, alignment and drop priority (`spec`) and the function that
/// makes its cell from a row's value. A table built from these cannot show a cell under another
/// column's header: there is no second list of cells to keep in step with the headers.
public struct Column<Row> {
    public var spec: TableColumn
    public var cell: (Row) -> TableCell

    public init(_ title: String, _ width: ColumnWidth, align: Alignment = .left, priority: Int = 100, cell: @escaping (Row) -> TableCell) {
        spec = TableColumn(title, width, align: align, priority: priority); self.cell = cell
    }
}

extension Array {
    /// The column specs, for `Table(columns:)`.
    public func specs<Row>() -> [TableColumn] where Element == Column<Row> { map(\.spec) }

    /// A data row: each column's cell of `value`, in column order.
    public func row<Row>(_ value: Row) -> TableRow where Element == Column<Row> { TableRow(map { $0.cell(value) }) }
}

public enum TableCell {
    case text(String, Style)
    case line(Line)
    case sparkline(Sparkline)
    case empty

    public static func text(_ s: String) -> TableCell { .text(s, .plain) }
}

public struct TableRow {
    public enum Kind {
        case data([TableCell])
        /// A full-width header row for a group of the rows below.
        case group(Line)
    }

    public var kind: Kind
    public init(_ cells: [TableCell]) { kind = .data(cells) }
    public init(group line: Line) { kind = .group(line) }
}

/// A table with column specs: fixed or flexible widths, alignment, truncation with an ellipsis,
/// and column dropping by priority on narrow areas. Rows are the visible slice: callers with many
/// rows build only those on screen.
public struct Table: Widget {
    public var columns: [TableColumn]
    public var rows: [TableRow]
    /// Index into `rows` of the highlighted row.
    public var selected: Int?
    public var showHeader: Bool
    public var headerStyle: Style
    public var selectedStyle: Style
    public var groupStyle: Style
    public var spacing: Int
    public var ellipsis: String

    public init(columns: [TableColumn], rows: [TableRow], selected: Int? = nil, showHeader: Bool = true,
                headerStyle: Style = .plain, selectedStyle: Style = Style(attrs: .reverse), groupStyle: Style = .plain,
                spacing: Int = 1, ellipsis: String = "…") {
        self.columns = columns; self.rows = rows; self.selected = selected; self.showHeader = showHeader
        self.headerStyle = headerStyle; self.selectedStyle = selectedStyle; self.groupStyle = groupStyle
        self.spacing = spacing; self.ellipsis = ellipsis
    }

    /// Column widths at `width`; nil for a dropped column.
    public static func layout(_ columns: [TableColumn], width: Int, spacing: Int = 1) -> [Int?] {
        var keep = Array(columns.indices)
        func needed() -> Int { keep.reduce(0) { $0 + columns[$1].width.minimum } + max(0, keep.count - 1) * spacing }
        while keep.count > 1 && needed() > width {
            let drop = keep.min { a, b in
                columns[a].priority != columns[b].priority ? columns[a].priority < columns[b].priority : a > b
            }!
            keep.removeAll { $0 == drop }
        }
        var widths = [Int?](repeating: nil, count: columns.count)
        for i in keep { widths[i] = columns[i].width.minimum }
        var extra = max(0, width - needed())
        // Flex columns share the extra space evenly, one cell at a time, each up to its max (so a long
        // name column cannot starve the message column); what bounded columns cannot take goes to the open ones.
        let flex = keep.filter { if case .flex = columns[$0].width { true } else { false } }
        var growing = true
        while extra > 0 && growing {
            growing = false
            for i in flex where extra > 0 {
                if case .flex(_, let mx) = columns[i].width, mx == nil || widths[i]! < mx! {
                    widths[i]! += 1; extra -= 1; growing = true
                }
            }
        }
        if keep.count == 1, let only = keep.first { widths[only] = min(widths[only]!, max(0, width)) }
        return widths
    }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let widths = Table.layout(columns, width: area.width, spacing: spacing)
        var xs: [Int?] = []
        var x = area.x
        for w in widths {
            if let w { xs.append(x); x += w + spacing } else { xs.append(nil) }
        }
        var y = area.y
        if showHeader {
            let row = area.row(0)
            buffer.fill(row, style: headerStyle)
            for (i, c) in columns.enumerated() {
                guard let cx = xs[i], let w = widths[i] else { continue }
                buffer.set(x: cx, y: y, TextWidth.fit(c.title, width: w, align: c.align, ellipsis: ellipsis), style: headerStyle, clip: row)
            }
            y += 1
        }
        for (r, row) in rows.enumerated() {
            guard y < area.bottom else { break }
            let rowRect = Rect(x: area.x, y: y, width: area.width, height: 1)
            switch row.kind {
            case .group(let line):
                buffer.fill(rowRect, style: groupStyle)
                var styled = line
                for k in styled.spans.indices { styled.spans[k].style = groupStyle.patched(with: styled.spans[k].style) }
                buffer.set(x: area.x, y: y, line: styled, clip: rowRect)
            case .data(let cells):
                buffer.fill(rowRect, style: .plain)
                for (i, cell) in cells.enumerated() where i < columns.count {
                    guard let cx = xs[i], let w = widths[i], w > 0 else { continue }
                    let cellRect = Rect(x: cx, y: y, width: w, height: 1).intersection(rowRect)
                    draw(cell, column: columns[i], into: &buffer, rect: cellRect)
                }
            }
            if r == selected { buffer.patch(rowRect, style: selectedStyle) }
            y += 1
        }
    }

    private func draw(_ cell: TableCell, column: TableColumn, into buffer: inout Buffer, rect: Rect) {
        switch cell {
        case .empty:
            return
        case .text(let s, let style):
            // The row is already blank: place the (truncated) text instead of building a padded string.
            let t = TextWidth.truncate(s, to: rect.width, ellipsis: ellipsis)
            let x = column.align == .left ? rect.x : rect.right - TextWidth.of(t) - (column.align == .center ? (rect.width - TextWidth.of(t)) / 2 : 0)
            buffer.set(x: x, y: rect.y, t, style: style, clip: rect)
        case .line(let line):
            let w = line.width
            if w <= rect.width {
                let x = column.align == .right ? rect.right - w : rect.x
                buffer.set(x: x, y: rect.y, line: line, clip: rect)
            } else {
                buffer.set(x: rect.x, y: rect.y, line: line, clip: rect, ellipsis: ellipsis)
            }
        case .sparkline(let s):
            s.render(into: &buffer, area: rect)
        }
    }
}
