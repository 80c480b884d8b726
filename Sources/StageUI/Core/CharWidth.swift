/// Terminal column width of graphemes: a small table of the common East Asian wide ranges and
/// emoji with default emoji presentation. Box drawing, block elements and the status glyphs are
/// narrow (1); East Asian "ambiguous" characters are treated as narrow, as terminals do by default.
public enum CharWidth {
    /// Sorted, non-overlapping ranges of width-2 scalars.
    static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x18AFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
        0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB,
        0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// Scalars that take no column on their own (combining marks, joiners, selectors, BOM).
    static let zero: [ClosedRange<UInt32>] = [
        0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x0610...0x061A, 0x064B...0x065F, 0x1AB0...0x1AFF,
        0x1DC0...0x1DFF, 0x200B...0x200F, 0x2060...0x2064, 0x20D0...0x20FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F,
        0xFEFF...0xFEFF, 0xE0000...0xE0FFF,
    ]

    static func contains(_ table: [ClosedRange<UInt32>], _ v: UInt32) -> Bool {
        var lo = 0, hi = table.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < table[mid].lowerBound { hi = mid - 1 } else if v > table[mid].upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Width of one scalar: 0, 1 or 2. Control characters count 1 here; `Buffer` replaces them before drawing.
    public static func of(scalar v: UInt32) -> Int {
        if v < 0x300 { return 1 }
        if contains(zero, v) { return 0 }
        if v >= 0x1100 && contains(wide, v) { return 2 }
        return 1
    }

    /// Width of a grapheme cluster: the base scalar decides, except that an emoji presentation
    /// selector (U+FE0F) or a regional-indicator pair (a flag) makes it 2.
    public static func of(_ c: Character) -> Int {
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x80 { return 1 }
        var w = of(scalar: first.value)
        var count = 0
        for s in scalars {
            count += 1
            if s.value == 0xFE0F { return 2 }
            if w == 0 { w = of(scalar: s.value) }
        }
        if count >= 2, (0x1F1E6...0x1F1FF).contains(first.value) { return 2 }
        return w
    }

    /// Whether a grapheme is a control character that must never reach the terminal.
    static func isControl(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)
    }
}

/// Width-aware string helpers (display columns, not characters or bytes).
public enum TextWidth {
    /// Columns the string takes in a terminal.
    public static func of(_ s: String) -> Int {
        if isPrintableASCII(s) { return s.utf8.count }
        var w = 0
        for c in s { w += CharWidth.isControl(c) ? 1 : CharWidth.of(c) }
        return w
    }

    static func isPrintableASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// The string cut to `width` columns, ending in `ellipsis` when something was cut.
    /// A wide character that would straddle the limit is dropped whole, never split.
    public static func truncate(_ s: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(s) <= width { return s }
        let ew = of(ellipsis)
        guard ew < width else { return prefix(ellipsis, width: width) }
        return prefix(s, width: width - ew) + ellipsis
    }

    /// The longest prefix of `s` that fits in `width` columns.
    public static func prefix(_ s: String, width: Int) -> String {
        if isPrintableASCII(s) { return String(s.utf8.prefix(max(0, width)))! }
        var w = 0
        var out = ""
        for c in s {
            let cw = CharWidth.isControl(c) ? 1 : CharWidth.of(c)
            if w + cw > width { break }
            w += cw
            out.append(c)
        }
        return out
    }

    /// `s` padded with spaces (or truncated) to exactly `width` columns.
    public static func fit(_ s: String, width: Int, align: Alignment = .left, ellipsis: String = "…") -> String {
        let t = truncate(s, to: width, ellipsis: ellipsis)
        let pad = max(0, width - of(t))
        switch align {
        case .left: return t + String(repeating: " ", count: pad)
        case .right: return String(repeating: " ", count: pad) + t
        case .center: return String(repeating: " ", count: pad / 2) + t + String(repeating: " ", count: pad - pad / 2)
        }
    }

    /// Word-wraps text to `width` columns; words longer than a line are broken. Newlines are kept
    /// as line breaks, other control characters become spaces.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let before = lines.count
            var line = ""
            var lineW = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var word = String(word)
                var ww = of(word)
                if lineW > 0 && lineW + 1 + ww <= width {
                    line += " " + word; lineW += 1 + ww
                    continue
                }
                if lineW > 0 { lines.append(line); line = ""; lineW = 0 }
                while ww > width {
                    var head = prefix(word, width: width)
                    // A wide character in a one-column line: emit it alone rather than loop forever.
                    if head.isEmpty, let first = word.first { head = String(first) }
                    lines.append(head)
                    word = String(word.dropFirst(head.count))
                    ww = of(word)
                }
                line = word; lineW = ww
            }
            // An empty paragraph is an empty line; a paragraph that ended exactly at a break adds nothing.
            if !line.isEmpty || lines.count == before { lines.append(line) }
        }
        return lines
    }
}

public enum Alignment: Sendable, Hashable {
    case left, right, center
}
