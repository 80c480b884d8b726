extension Duration {
    /// Parses "250ms", "5s", "1.5s", "2m", "1h". Nil for anything else (the caller reports where).
    /// `goStyle` (conditions, which gatus users write in Go's syntax) also takes a sequence ("1h30m",
    /// "2m0.5s") and the units ns, us and µs.
    public static func parse(_ text: String, goStyle: Bool = false) -> Duration? {
        if goStyle { return parseGo(text.trimmingCharacters(in: .whitespaces)) }
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count)
            // "5ms" also ends in "s": only accept when the rest is a plain number.
            guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }),
                  let v = Double(number), v.isFinite, v >= 0 else { continue }
            return Duration(seconds: v * scale)
        }
        return nil
    }

    /// Go's time.ParseDuration without a sign: one or more NUMBER UNIT pairs.
    private static func parseGo(_ t: String) -> Duration? {
        // Longest unit name first: "ms" before "m", "ns"/"us" before "s".
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
            .sorted { $0.0.count > $1.0.count }
        var rest = Substring(t)
        var seconds = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let v = Double(number), v.isFinite else { return nil }
            rest = rest.dropFirst(number.count)
            guard let (name, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(name.count)
            seconds += v * scale
        }
        return Duration(seconds: seconds)
    }
}

import Foundation
