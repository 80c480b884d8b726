/// Case-insensitive comparison of protocol tokens (header names, URL schemes), ASCII only: they are ASCII
/// by definition, and Foundation's locale-aware `caseInsensitiveCompare`, asked for every header of every
/// request and result, showed in perf.
public enum ASCIICase {
    public static func equal(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { lower($0) == lower($1) }
    }

    /// Whether `s` starts with `prefix`, ignoring ASCII case ("HTTPS://…" starts with "https://").
    public static func hasPrefix(_ s: String, _ prefix: String) -> Bool {
        var i = s.utf8.makeIterator()
        for p in prefix.utf8 {
            guard let c = i.next(), lower(c) == lower(p) else { return false }
        }
        return true
    }

    private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
}
