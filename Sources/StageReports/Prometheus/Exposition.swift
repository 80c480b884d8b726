import Foundation

enum MetricType: String { case gauge, counter, histogram }

/// The Prometheus text exposition format (0.0.4): families and samples, each family's HELP/TYPE once
/// before its samples. Shared by `check --prometheus` and the agent's live `/metrics`.
///
/// Built for a scrape of 1,000 probes (30,000 samples) in a few milliseconds: the text is bytes appended
/// to one buffer (perf showed String appends at half of a scrape), label sets are rendered once per probe
/// (`Labels`) and reused for all its series, and escaping only scans bytes.
struct Exposition {
    private(set) var bytes: [UInt8] = []

    /// - Parameter reserve: bytes to reserve up front (an agent's scrape: ~3.6 KB per probe), so the
    ///   buffer is not copied over and over as it grows.
    init(reserve: Int = 1 << 16) { bytes.reserveCapacity(reserve) }

    /// Writes into `buffer`'s storage (emptied, capacity kept); `release()` gives it back.
    init(reusing buffer: inout [UInt8]) { bytes = ReusedBytes.reuse(&buffer) }

    mutating func release() -> [UInt8] { ReusedBytes.take(&bytes) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func family(_ name: String, _ type: MetricType, _ help: String) {
        put("# HELP "); put(name); put(" "); put(help); put("\n# TYPE "); put(name); put(" "); put(type.rawValue); put("\n")
    }

    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        sample(name, Labels(labels), value)
    }

    /// One sample: `name{labels[,extra="value"]} value`.
    mutating func sample(_ name: String, _ labels: Labels, _ extra: (String, String)? = nil, _ value: Double) {
        put(name)
        if !labels.rendered.isEmpty || extra != nil {
            bytes.append(UInt8(ascii: "{"))
            bytes.append(contentsOf: labels.rendered)
            if let (k, v) = extra {
                if !labels.rendered.isEmpty { bytes.append(UInt8(ascii: ",")) }
                put(k); put("=\""); Exposition.escape(v, into: &bytes); bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        Exposition.format(value, into: &bytes)
        bytes.append(UInt8(ascii: "\n"))
    }

    mutating func sample(_ name: String, _ labels: Labels, _ value: Double) { sample(name, labels, nil, value) }

    private mutating func put(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// Samples rendered earlier (a cached chunk).
    mutating func append(_ chunk: [UInt8]) { bytes.append(contentsOf: chunk) }

    /// A label set rendered once (`a="x",b="y"`), extended with one more pair per series.
    struct Labels {
        var rendered: [UInt8] = []

        init(_ pairs: [(String, String)]) {
            for (k, v) in pairs { append(k, v) }
        }

        mutating func append(_ key: String, _ value: String) {
            if !rendered.isEmpty { rendered.append(UInt8(ascii: ",")) }
            rendered.append(contentsOf: key.utf8)
            rendered.append(contentsOf: "=\"".utf8)
            Exposition.escape(value, into: &rendered)
            rendered.append(UInt8(ascii: "\""))
        }

        func with(_ key: String, _ value: String) -> Labels {
            var copy = self
            copy.append(key, value)
            return copy
        }
    }

    /// Label values escape backslash, double quote and newline (the format's only three).
    static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        escape(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func escape(_ s: String, into out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            default: out.append(b)
            }
        }
    }

    /// Integers without a fraction; others as the shortest text that reads back as the same Double
    /// (a Unix time keeps its milliseconds, which "%g" would round away).
    static func format(_ v: Double) -> String {
        var out: [UInt8] = []
        format(v, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func format(_ v: Double, into out: inout [UInt8]) {
        if v.isNaN { out.append(contentsOf: "NaN".utf8); return }
        if v.isInfinite { out.append(contentsOf: (v > 0 ? "+Inf" : "-Inf").utf8); return }
        if v == v.rounded(), abs(v) < 1e15 {
            var n = Int64(v)
            if n == 0 { out.append(UInt8(ascii: "0")); return }
            if n < 0 { out.append(UInt8(ascii: "-")); n = -n }
            let start = out.count
            while n > 0 { out.append(UInt8(ascii: "0") + UInt8(n % 10)); n /= 10 }
            out[start...].reverse()
            return
        }
        out.append(contentsOf: String(v).utf8)
    }
}
