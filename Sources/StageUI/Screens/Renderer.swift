import StageModel

/// Renders whole frames. Built once by the app (and again when the theme changes); a value, no I/O.
///
///     var renderer = Renderer(theme: theme, depth: .c256, glyphs: .unicode, requests: infos)
///     var back = renderer.frame(snapshot, view: &view, width: cols, height: rows)
///     for run in back.diff(from: front) { /* write run.cells at (run.x, run.y) */ }
///     front = back
public struct Renderer: Sendable {
    /// The theme with every role filled in and mapped to `depth`.
    public private(set) var theme: Theme
    public private(set) var depth: ColorDepth
    public var glyphs: GlyphSet
    public var keyMap: KeyMap
    /// Request details for the detail view, by probe name (placeholders only, never raw secrets).
    public var requests: [String: ProbeRequestInfo]
    /// The table's row order of the last frame (shared by copies of this renderer; see RowOrderCache).
    let rowCache = RowOrderCache()

    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public init(theme: Theme = .builtinDefault, depth: ColorDepth = .truecolor, glyphs: GlyphSet = .unicode,
                keyMap: KeyMap = .standard, requests: [String: ProbeRequestInfo] = [:]) {
        self.theme = theme.resolved(for: depth); self.depth = depth
        self.glyphs = glyphs; self.keyMap = keyMap; self.requests = requests
    }

    public mutating func setTheme(_ theme: Theme, depth: ColorDepth? = nil) {
        if let depth { self.depth = depth }
        self.theme = theme.resolved(for: self.depth)
    }

    public func style(_ role: Role) -> Style { theme[role] }

    /// A new buffer of the given size with the current screen drawn in it.
    public func frame(_ snapshot: Snapshot, view: inout ViewState, width: Int, height: Int) -> Buffer {
        var buffer = Buffer(width: width, height: height, style: style(.text))
        draw(snapshot, view: &view, into: &buffer)
        return buffer
    }

    /// Draws the screen `view` asks for over the whole buffer. Adjusts `view.scroll`, `view.detailScroll`
    /// and `view.pageSize` to what fits (keep the returned view for the next key).
    public func render(_ snapshot: Snapshot, view: inout ViewState, into buffer: inout Buffer) {
        buffer.fill(buffer.area, style: style(.text))
        draw(snapshot, view: &view, into: &buffer)
    }

    /// Draws over a buffer already cleared to the text style.
    private func draw(_ snapshot: Snapshot, view: inout ViewState, into buffer: inout Buffer) {
        let area = buffer.area
        guard area.width >= Renderer.minimumWidth, area.height >= Renderer.minimumHeight else {
            TooSmallScreen(width: area.width, height: area.height, minWidth: Renderer.minimumWidth,
                           minHeight: Renderer.minimumHeight, style: style(.text), emphasis: style(.statusFail))
                .render(into: &buffer, area: area)
            return
        }
        if view.showCycles {
            CycleScreen(r: self, snapshot: snapshot).render(into: &buffer, area: area, view: &view)
        } else if let name = view.detail, let probe = snapshot.probe(named: name) {
            DetailScreen(renderer: self, snapshot: snapshot, probe: probe).render(into: &buffer, area: area, view: &view)
        } else {
            MainScreen(renderer: self, snapshot: snapshot).render(into: &buffer, area: area, view: &view)
        }
        if view.showHelp {
            HelpOverlay(keyMap: keyMap, glyphs: glyphs, borderStyle: style(.borderFocus), titleStyle: style(.headerTitle),
                        keyStyle: style(.hintKey), textStyle: style(.text), labelStyle: style(.detailLabel), showReplay: view.replay != nil)
                .render(into: &buffer, area: area)
        }
        if glyphs.asciiOnly { buffer.transliterateToASCII() }
    }
}
