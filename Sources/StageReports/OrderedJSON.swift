import StageModel

/// JSON with keys in the order we write them, so reports read like docs/report-json.md and diff cleanly.
public indirect enum OrderedJSON: Equatable, Sendable {
    case object([(String, OrderedJSON)])
    case array([OrderedJSON])
    case string(String)
    case number(Double)
    case int(Int)
    case bool(Bool)
    case null

    public static func == (a: OrderedJSON, b: OrderedJSON) -> Bool { a.text(pretty: false) == b.text(pretty: false) }

    public static func optional(_ s: String?) -> OrderedJSON { s.map(OrderedJSON.string) ?? .null }
    public static func optional(_ n: Int?) -> OrderedJSON { n.map(OrderedJSON.int) ?? .null }
    /// Milliseconds rounded to the microsecond: enough for every figure we show, no float noise.
    public static func ms(_ v: Double?) -> OrderedJSON { v.map { .number(($0 * 1000).rounded() / 1000) } ?? .null }

    public func text(pretty: Bool = true) -> String {
        var out = ""
        write(&out, indent: pretty ? 0 : nil)
        return out
    }

    private func write(_ out: inout String, indent: Int?) {
        let nl = indent == nil ? "" : "\n"
        let pad = { (n: Int) in String(repeating: "  ", count: n) }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let n): out += n.isFinite ? JSONValue.number(n).jsonText : "null"
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + nl
            for (i, v) in items.enumerated() {
                if let indent { out += pad(indent + 1) }
                v.write(&out, indent: indent.map { $0 + 1 })
                out += (i < items.count - 1 ? "," : "") + nl
            }
            if let indent { out += pad(indent) }
            out += "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{" + nl
            for (i, (k, v)) in fields.enumerated() {
                if let indent { out += pad(indent + 1) }
                JSONValue.quote(k, into: &out)
                out += indent == nil ? ":" : ": "
                v.write(&out, indent: indent.map { $0 + 1 })
                out += (i < fields.count - 1 ? "," : "") + nl
            }
            if let indent { out += pad(indent) }
            out += "}"
        }
    }
}
