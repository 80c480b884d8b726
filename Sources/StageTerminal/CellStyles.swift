import StageUI

/// What ncurses needs to draw a cell in a given `Style`: attributes and a colour pair.
struct CellLook: Sendable, Hashable {
    var attrs: Attributes
    var pair: Int32
}

/// `Style → CellLook`, cached: a frame has thousands of cells but a handful of styles, so colour
/// mapping and pair lookup happen once per style, not once per cell.
struct CellStyles {
    let numbering: ColorNumbering
    private(set) var pairs: ColorPairs
    private var cache: [Style: CellLook] = [:]

    init(numbering: ColorNumbering, pairs: ColorPairs) {
        self.numbering = numbering; self.pairs = pairs
    }

    mutating func look(_ style: Style) -> CellLook {
        if let l = cache[style] { return l }
        // `Style.mapped(to:)` adds `reverse` at mono for styles that relied on a background colour.
        let s = style.mapped(to: numbering.depth)
        var pair: Int32 = 0
        if numbering.depth != .mono {
            pair = pairs.pair(fg: numbering.number(s.fg, foreground: true), bg: numbering.number(s.bg, foreground: false))
        }
        let l = CellLook(attrs: s.attrs, pair: pair)
        cache[style] = l
        return l
    }
}
