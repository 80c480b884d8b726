/// A colour as a theme names it, before or after mapping to what the terminal can show.
/// `.default` is the terminal's own colour (ncurses -1); `Style.fg == nil` means "inherit"
/// when styles are layered and "terminal default" when drawn.
public enum Color: Sendable, Hashable {
    case `default`
    /// The 16 standard colours, 0–7 normal and 8–15 bright; the terminal's palette decides how they look.
    case ansi(UInt8)
    /// An xterm 256-colour index.
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)
}

/// Text attributes. They survive every colour depth, which is what makes the mono theme usable.
public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let reverse = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
    public static let italic = Attributes(rawValue: 1 << 4)

    /// Names as written in theme files, in a stable order.
    public static let named: [(name: String, value: Attributes)] = [
        ("bold", .bold), ("dim", .dim), ("reverse", .reverse), ("underline", .underline), ("italic", .italic),
    ]
}

/// Foreground, background and attributes of a cell.
public struct Style: Sendable, Hashable {
    public var fg: Color?
    public var bg: Color?
    public var attrs: Attributes

    public init(fg: Color? = nil, bg: Color? = nil, attrs: Attributes = []) {
        self.fg = fg; self.bg = bg; self.attrs = attrs
    }

    public static let plain = Style()

    /// `overlay` on top of `self`: its colours win where set, attributes add up.
    /// Used for the selection highlight, which must not erase what the status colour says.
    public func patched(with overlay: Style) -> Style {
        Style(fg: overlay.fg ?? fg, bg: overlay.bg ?? bg, attrs: attrs.union(overlay.attrs))
    }

    public func adding(_ extra: Attributes) -> Style {
        Style(fg: fg, bg: bg, attrs: attrs.union(extra))
    }
}
