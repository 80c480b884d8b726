/// The newest lines of a log that fit, oldest at the top and newest at the bottom (like `tail`).
public struct LogList: Widget {
    public var lines: [Line]
    public var ellipsis: String

    public init(lines: [Line], ellipsis: String = "…") { self.lines = lines; self.ellipsis = ellipsis }

    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let shown = lines.suffix(area.height)
        for (k, line) in shown.enumerated() {
            buffer.set(x: area.x, y: area.y + k, line: line, clip: area.row(k), ellipsis: ellipsis)
        }
    }
}
