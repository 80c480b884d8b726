import Foundation

/// A theme file problem, naming the file and (when there is one) the line.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) { self.file = file; self.line = line; self.message = message }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// Parses the INI-ish theme format (documented at the top of `themes/default.theme`):
///
///     [palette]
///     green = #2ea043            # or 0-255, a colour name (red, bright-white, …), or default
///     [roles]
///     status.pass = fg:green bg:default bold
///
/// Strict on purpose: an unknown section or role, a bad colour or an unknown word is an error with its
/// line number, because a typo must not silently fall back to another colour.
public enum ThemeParser {
    public static let colorNames: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11, "bright-blue": 12,
        "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15, "grey": 8, "gray": 8,
    ]

    public static func parse(_ text: String, file: String, name: String? = nil) throws -> Theme {
        enum Section { case none, palette, roles }
        var section = Section.none
        var palette: [String: Color] = [:]
        var styles: [Role: Style] = [:]
        var seenRoles: Set<Role> = []

        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            func fail(_ message: String) -> ThemeError { ThemeError(file: file, line: lineNo, message: message) }
            let line = stripComment(String(raw)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw fail("unterminated section header '\(line)'") }
                let sectionName = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                switch sectionName {
                case "palette": section = .palette
                case "roles": section = .roles
                default: throw fail("unknown section [\(sectionName)] (expected [palette] or [roles])")
                }
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { throw fail("expected 'key = value', got '\(line)'") }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { throw fail("missing key before '='") }

            switch section {
            case .none:
                throw fail("'\(key)' is outside a section (start with [palette] or [roles])")
            case .palette:
                guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                    throw fail("bad palette name '\(key)' (letters, digits, - _ . only)")
                }
                guard palette[key] == nil else { throw fail("palette name '\(key)' defined twice") }
                guard let c = color(value, palette: palette) else { throw fail("bad colour '\(value)' for '\(key)'") }
                palette[key] = c
            case .roles:
                guard let role = Role(rawValue: key) else { throw fail("unknown role '\(key)'") }
                guard !seenRoles.contains(role) else { throw fail("role '\(key)' set twice") }
                seenRoles.insert(role)
                styles[role] = try style(value, palette: palette, fail: fail)
            }
        }
        return Theme(name: name ?? themeName(fromPath: file), styles: styles)
    }

    /// A `#` starts a comment at the start of a line or when followed by whitespace or the line end;
    /// `#rrggbb` is therefore a colour, never a comment.
    static func stripComment(_ line: String) -> String {
        let chars = Array(line)
        for (i, c) in chars.enumerated() where c == "#" {
            let atStart = chars[..<i].allSatisfy(\.isWhitespace)
            let followedBySpace = i + 1 == chars.count || chars[i + 1].isWhitespace
            if atStart || followedBySpace { return String(chars[..<i]) }
        }
        return line
    }

    static func style(_ value: String, palette: [String: Color], fail: (String) -> ThemeError) throws -> Style {
        var st = Style()
        for token in value.split(whereSeparator: \.isWhitespace).map(String.init) {
            if token.hasPrefix("fg:") || token.hasPrefix("bg:") {
                let spec = String(token.dropFirst(3))
                guard let c = color(spec, palette: palette) else { throw fail("bad colour '\(spec)' in '\(token)'") }
                if token.hasPrefix("fg:") { st.fg = c } else { st.bg = c }
            } else if let attr = Attributes.named.first(where: { $0.name == token }) {
                st.attrs.insert(attr.value)
            } else if token == "plain" {
                continue
            } else {
                throw fail("unknown word '\(token)' (expected fg:COLOUR, bg:COLOUR, plain, "
                    + Attributes.named.map(\.name).joined(separator: ", ") + ")")
            }
        }
        return st
    }

    /// A palette name, `#rrggbb`, an index 0–255, a colour name or `default`.
    public static func color(_ spec: String, palette: [String: Color] = [:]) -> Color? {
        if let c = palette[spec] { return c }
        if spec == "default" { return .default }
        if let n = colorNames[spec] { return .ansi(n) }
        if spec.hasPrefix("#") {
            let hex = spec.dropFirst()
            guard hex.count == 6, hex.allSatisfy(\.isHexDigit), let v = UInt32(hex, radix: 16) else { return nil }
            return .rgb(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
        }
        if !spec.isEmpty, spec.allSatisfy(\.isASCII), spec.allSatisfy(\.isNumber), let n = Int(spec), (0...255).contains(n) {
            return n < 16 ? .ansi(UInt8(n)) : .indexed(UInt8(n))
        }
        return nil
    }

    static func themeName(fromPath path: String) -> String {
        let base = (path as NSString).lastPathComponent
        return base.hasSuffix(".\(ThemeLoader.fileExtension)") ? String(base.dropLast(ThemeLoader.fileExtension.count + 1)) : base
    }
}
