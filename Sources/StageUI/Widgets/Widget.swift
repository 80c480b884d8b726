/// Something that draws itself into an area of a buffer. Widgets are values built from a snapshot;
/// they read no globals and no clock, and must draw nothing outside `area` at any size, including 0x0.
public protocol Widget {
    func render(into buffer: inout Buffer, area: Rect)
}

/// Styled lines, one per row, clipped (no wrapping: wrap first with `TextWidth.wrap` if needed).
public struct Paragraph: Widget {
    public var lines: [Line]
    /// Lines skipped at the top (scrolling).
    public var offset: Int

    public init(_ lines: [Line], offset: Int = 0) { self.lines = lines; self.offset = offset }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        for dy in 0..<area.height {
            let i = offset + dy
            guard i >= 0, i < lines.count else { break }
            buffer.set(x: area.x, y: area.y + dy, line: lines[i], clip: area)
        }
    }
}
