/// Box-drawing pieces for a border.
public struct BorderGlyphs: Sendable, Hashable {
    public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: String
}

/// Every non-ASCII glyph the UI draws, with an ASCII fallback set. The backend chooses the set from
/// the locale (ASCII under a non-UTF-8 locale, as htop does); the UI never guesses.
/// All glyphs are one column wide so layouts are identical in both sets, except the ASCII `OK`.
public struct GlyphSet: Sendable, Hashable {
    public var pass, fail, hang, error, skip, pending: String
    /// Sparkline levels, lowest first.
    public var spark: [String]
    /// A history point with no latency (a hang, a refused connection).
    public var sparkMissing: String
    public var ellipsis: String
    public var arrow: String
    public var mask: String
    public var barFull: String
    /// Partial blocks for sub-cell bar ends, 1/8 to 7/8; empty when the set has none.
    public var barPartial: [String]
    public var barEmpty: String
    public var groupMarker: String
    public var cursor: String
    public var border: BorderGlyphs
    /// Cycle-over-cycle change in the header: better, worse.
    public var better, worse: String
    /// A probe that flipped to pass / away from pass between two cycles.
    public var flipUp, flipDown: String
    /// Before a held-open WebSocket's reconnect count.
    public var reconnect: String
    /// The ends of a watchdog meter, so an empty meter still shows its length.
    public var meterLeft, meterRight: String
    /// Whether the terminal can only show ASCII: the renderer then also transliterates text that came
    /// from the outside (messages, bodies), not just its own glyphs.
    public var asciiOnly: Bool

    public static let unicode = GlyphSet(
        pass: "✔", fail: "✖", hang: "⧗", error: "!", skip: "⊘", pending: "○",
        spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], sparkMissing: "·",
        ellipsis: "…", arrow: "→", mask: "••••",
        barFull: "█", barPartial: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"], barEmpty: " ",
        groupMarker: "▾", cursor: "▌",
        border: BorderGlyphs(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘"),
        better: "▲", worse: "▼", flipUp: "↑", flipDown: "↓", reconnect: "⟳", meterLeft: "▕", meterRight: "▏",
        asciiOnly: false
    )

    public static let ascii = GlyphSet(
        pass: "OK", fail: "X", hang: "H", error: "E", skip: "-", pending: ".",
        spark: ["_", ".", "-", "=", "^"], sparkMissing: " ",
        ellipsis: "~", arrow: "->", mask: "****",
        barFull: "#", barPartial: [], barEmpty: " ",
        groupMarker: "+", cursor: "_",
        border: BorderGlyphs(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+"),
        better: "^", worse: "v", flipUp: "+", flipDown: "-", reconnect: "re", meterLeft: "[", meterRight: "]",
        asciiOnly: true
    )

    /// The status glyph of a verdict; nil means no result yet (pending).
    public func status(_ verdict: DisplayStatus) -> String {
        switch verdict {
        case .pass: pass
        case .fail: fail
        case .hang: hang
        case .error: error
        case .skip: skip
        case .pending: pending
        }
    }

    /// Width of the widest status glyph, so the status column lines up.
    public var statusWidth: Int {
        [pass, fail, hang, error, skip, pending].map(TextWidth.of).max() ?? 1
    }
}
