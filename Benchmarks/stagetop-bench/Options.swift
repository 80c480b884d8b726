import Foundation

/// `--name value` and `--flag` options, repeatable names kept in order. Small enough not to need ArgumentParser.
struct Options: Sendable {
    private var values: [(String, String?)] = []

    init(_ argv: [String]) {
        var i = 0
        while i < argv.count {
            let a = argv[i]
            guard a.hasPrefix("--") else { i += 1; continue }
            let name = String(a.dropFirst(2))
            if let eq = name.firstIndex(of: "=") {
                values.append((String(name[..<eq]), String(name[name.index(after: eq)...])))
            } else if i + 1 < argv.count, !argv[i + 1].hasPrefix("--") {
                values.append((name, argv[i + 1]))
                i += 1
            } else {
                values.append((name, nil))
            }
            i += 1
        }
    }

    func string(_ name: String) -> String? { values.last { $0.0 == name }?.1 }
    func all(_ name: String) -> [String] { values.filter { $0.0 == name }.compactMap(\.1) }
    func flag(_ name: String) -> Bool { values.contains { $0.0 == name } }
    func int(_ name: String, _ fallback: Int) -> Int { string(name).flatMap(Int.init) ?? fallback }
    func double(_ name: String, _ fallback: Double) -> Double { string(name).flatMap(Double.init) ?? fallback }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Summary statistics of a sample, computed the same way for every tool compared.
struct Summary {
    let n: Int
    let median: Double
    let p95: Double
    let mean: Double
    let min: Double
    let max: Double

    init(_ xs: [Double]) {
        let s = xs.sorted()
        n = s.count
        guard !s.isEmpty else { median = 0; p95 = 0; mean = 0; min = 0; max = 0; return }
        median = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        // Nearest-rank percentile.
        p95 = s[Swift.max(0, Int((0.95 * Double(s.count)).rounded(.up)) - 1)]
        mean = s.reduce(0, +) / Double(s.count)
        min = s[0]
        max = s[s.count - 1]
    }
}

func fmt(_ v: Double) -> String { String(format: "%.3f", v) }
