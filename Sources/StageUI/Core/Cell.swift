/// One terminal cell. A wide grapheme (width 2) occupies its cell and the next one; the next one is a
/// continuation cell (`width == 0`, empty grapheme) that the backend must skip when writing.
public struct Cell: Sendable, Hashable {
    public var grapheme: String
    /// 1 for normal cells, 2 for the leading half of a wide grapheme, 0 for its trailing half.
    public var width: UInt8
    public var style: Style

    public init(_ grapheme: String, width: UInt8 = 1, style: Style = .plain) {
        self.grapheme = grapheme; self.width = width; self.style = style
    }

    public static let blank = Cell(" ")

    public static func continuation(_ style: Style) -> Cell { Cell("", width: 0, style: style) }

    public var isContinuation: Bool { width == 0 }
}
