extension Duration {
    /// Parses "250ms", "5s", "1.5s", "2m", "1h". Nil for anything else (the caller reports where).
    public static func parse(_ text: String) -> Duration? {
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
}

import Foundation
