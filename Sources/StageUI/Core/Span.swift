/// A run of text in one style.
public struct Span: Sendable, Hashable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) { self.text = text; self.style = style }

    public var width: Int { TextWidth.of(text) }
}

/// One line of styled spans.
public struct Line: Sendable, Hashable {
    public var spans: [Span]

    public init(_ spans: [Span] = []) { self.spans = spans }
    public init(_ text: String, _ style: Style = .plain) { spans = [Span(text, style)] }

    public var width: Int { spans.reduce(0) { $0 + $1.width } }
    public var text: String { spans.map(\.text).joined() }

    public mutating func append(_ text: String, _ style: Style = .plain) { spans.append(Span(text, style)) }
}
