/// A grid of cells: what one frame looks like. Screens render into a back buffer; `diff(from:)` against
/// the front buffer tells the backend which runs to write.
public struct Buffer: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    /// Row-major, `width * height` cells.
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, style: Style = .plain) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: Cell(" ", style: style), count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
    }

    /// The cell at (x, y), or nil outside the buffer.
    public func cell(x: Int, y: Int) -> Cell? {
        x >= 0 && y >= 0 && x < width && y < height ? cells[y * width + x] : nil
    }

    /// Printable ASCII as prebuilt one-character strings: the common case needs no grapheme breaking.
    private static let ascii: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    /// Writes `string` from (x, y) to the right, clipped to `clip` (default: the whole buffer).
    /// Wide graphemes take two cells; one that would straddle a clip edge is replaced by a space.
    /// Control characters are drawn as spaces (newline, tab) or `?`, never sent to the terminal.
    /// Returns the column after the last cell the string would occupy (clipped or not).
    @discardableResult
    public mutating func set(x: Int, y: Int, _ string: String, style: Style, clip: Rect? = nil) -> Int {
        let bounds = clip.map { $0.intersection(area) } ?? area
        var cx = x
        guard y >= bounds.y, y < bounds.bottom, !bounds.isEmpty else { return x + TextWidth.of(string) }
        if TextWidth.isPrintableASCII(string) {
            for b in string.utf8 {
                if cx >= bounds.x && cx < bounds.right { put(cx, y, Buffer.ascii[Int(b)], 1, style) }
                cx += 1
            }
            return cx
        }
        for ch in string {
            var g = String(ch)
            let w: Int
            if CharWidth.isControl(ch) {
                g = (ch == "\n" || ch == "\t" || ch == "\r\n" || ch == "\r") ? " " : "?"
                w = 1
            } else {
                w = CharWidth.of(ch)
            }
            if w == 0 { continue }
            if cx + w <= bounds.x || cx >= bounds.right {
                cx += w
                continue
            }
            if w == 2 && (cx < bounds.x || cx + 2 > bounds.right) {
                // Half of a wide grapheme is visible: show a space in that cell instead of half a glyph.
                let visible = cx < bounds.x ? cx + 1 : cx
                put(visible, y, " ", 1, style)
                cx += w
                continue
            }
            put(cx, y, g, w, style)
            cx += w
        }
        return cx
    }

    /// Writes styled spans one after another; returns the column after the line.
    @discardableResult
    public mutating func set(x: Int, y: Int, line: Line, clip: Rect? = nil) -> Int {
        var cx = x
        for span in line.spans { cx = set(x: cx, y: y, span.text, style: span.style, clip: clip) }
        return cx
    }

    /// Writes a line clipped to `clip`; when it does not fit, the last column shows `ellipsis` instead,
    /// so a cut is always visible.
    @discardableResult
    public mutating func set(x: Int, y: Int, line: Line, clip: Rect, ellipsis: String) -> Int {
        let bounds = clip.intersection(area)
        guard x + line.width > bounds.right, bounds.right - x > TextWidth.of(ellipsis) else { return set(x: x, y: y, line: line, clip: clip) }
        let ew = TextWidth.of(ellipsis)
        let end = set(x: x, y: y, line: line, clip: bounds.inset(right: ew))
        let st = line.spans.last { !$0.text.isEmpty }?.style ?? .plain
        set(x: bounds.right - ew, y: y, ellipsis, style: st, clip: bounds)
        return end
    }

    /// Stores one grapheme, keeping wide-character pairs consistent: overwriting either half of an
    /// existing wide grapheme blanks its other half, so no orphan half is ever left behind.
    private mutating func put(_ x: Int, _ y: Int, _ g: String, _ w: Int, _ style: Style) {
        let i = y * width + x
        let old = cells[i]
        if old.width == 0, x > 0 {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        }
        if old.width == 2, w == 1, x + 1 < width {
            cells[i + 1] = Cell(" ", style: cells[i + 1].style)
        }
        cells[i] = Cell(g, width: UInt8(w), style: style)
        if w == 2 {
            if x + 2 < width, cells[i + 1].width == 2 {
                cells[i + 2] = Cell(" ", style: cells[i + 2].style)
            }
            cells[i + 1] = .continuation(style)
        }
    }

    /// Fills a rectangle with one grapheme (a space by default) in one style.
    public mutating func fill(_ rect: Rect, style: Style, with grapheme: String = " ") {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        let cell = Cell(grapheme, style: style)
        for yy in r.y..<r.bottom {
            let base = yy * width
            // Clearing must not orphan half of a wide grapheme straddling the rectangle's edges.
            if r.x > 0, cells[base + r.x].width == 0 { cells[base + r.x - 1] = Cell(" ", style: cells[base + r.x - 1].style) }
            if r.right < width, cells[base + r.right].width == 0 { cells[base + r.right] = Cell(" ", style: cells[base + r.right].style) }
            for xx in r.x..<r.right { cells[base + xx] = cell }
        }
    }

    /// Layers `style` over every cell of a rectangle (see `Style.patched`), e.g. the selection highlight.
    public mutating func patch(_ rect: Rect, style: Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for yy in r.y..<r.bottom {
            for xx in r.x..<r.right {
                let i = yy * width + xx
                cells[i].style = cells[i].style.patched(with: style)
            }
        }
    }

    /// Common non-ASCII characters in messages and their ASCII stand-ins.
    private static let asciiStandIns: [String: String] = [
        "→": ">", "←": "<", "…": "~", "•": "*", "·": ".", "×": "x", "–": "-", "—": "-", "‘": "'", "’": "'",
        "“": "\"", "”": "\"", "✔": "v", "✖": "x", "✅": "v", "❌": "x", "µ": "u", "≤": "<", "≥": ">", "±": "+",
    ]

    /// Replaces every non-ASCII grapheme by an ASCII stand-in (or `?`), for terminals under a
    /// non-UTF-8 locale. A wide grapheme becomes one character and a space.
    public mutating func transliterateToASCII() {
        for i in cells.indices {
            let c = cells[i]
            if c.isContinuation { cells[i] = Cell(" ", style: c.style); continue }
            guard !c.grapheme.utf8.allSatisfy({ $0 < 0x80 }) else { continue }
            cells[i] = Cell(Buffer.asciiStandIns[c.grapheme] ?? "?", style: c.style)
        }
    }

    // MARK: Reading back (tests, debugging)

    /// The text of row `y`, continuation cells skipped, so wide graphemes read naturally.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = ""
        for x in 0..<width where !cells[y * width + x].isContinuation { s += cells[y * width + x].grapheme }
        return s
    }

    public var lines: [String] { (0..<height).map(line) }

    /// All rows joined by newlines.
    public var text: String { lines.joined(separator: "\n") }

    /// The first (x, y) where `needle` appears in a row's text, x counted in cells.
    public func find(_ needle: String) -> (x: Int, y: Int)? {
        for y in 0..<height {
            let l = line(y)
            if let r = l.range(of: needle) {
                return (TextWidth.of(String(l[..<r.lowerBound])), y)
            }
        }
        return nil
    }

    /// UTF-8 bytes of all graphemes: what a full repaint writes, before escape sequences.
    public var byteCount: Int { cells.reduce(0) { $0 + $1.grapheme.utf8.count } }
}
