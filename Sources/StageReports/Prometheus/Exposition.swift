import Foundation

enum MetricType: String { case gauge, counter, histogram }

/// The Prometheus text exposition format (0.0.4): families and samples, each family's HELP/TYPE once
/// before its samples. Shared by `check --prometheus` and the agent's live `/metrics`.
struct Exposition {
    var text = ""

    mutating func family(_ name: String, _ type: MetricType, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type.rawValue)\n"
    }

    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        guard !labels.isEmpty else { text += "\(name) \(Exposition.format(value))\n"; return }
        let pairs = labels.map { "\($0.0)=\"\(Exposition.escape($0.1))\"" }.joined(separator: ",")
        text += "\(name){\(pairs)} \(Exposition.format(value))\n"
    }

    /// Label values escape backslash, double quote and newline (the format's only three).
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Integers without a fraction; others as the shortest text that reads back as the same Double
    /// (a Unix time keeps its milliseconds, which "%g" would round away).
    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
