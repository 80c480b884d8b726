/// Finds server-sent-event boundaries in a body that arrives in arbitrary chunks, keeping only what a
/// probe reports: each event's name (`event:` field, "message" when absent). Data is not kept.
///
/// Follows the WHATWG event-stream rules that matter for counting: lines end in LF, CRLF or CR (also when
/// a CRLF is split across chunks); a blank line dispatches the event; `:` lines are comments (the
/// keep-alives many servers send) and do not make an event; an event with neither `data:` nor `event:`
/// is not dispatched.
///
/// Public (with `init` and `feed(_: [UInt8])`) only so the libFuzzer target in Fuzz/ can link it without `@testable`.
public struct StreamEventParser {
    /// Lines longer than this are not kept whole (a data line of a megabyte says nothing about names).
    static let maxLineBytes = 4096

    private var line: [UInt8] = []
    private var lineOverflowed = false
    private var lastWasCR = false
    private var name: String?
    private var hasField = false

    public init() {}

    /// Feeds bytes; returns the names of the events completed by them, in order.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [String] {
        var out: [String] = []
        for b in bytes {
            if lastWasCR {
                lastWasCR = false
                if b == 0x0A { continue }  // the LF of a CRLF: the line already ended at the CR
            }
            switch b {
            case 0x0D:
                lastWasCR = true
                if let n = endLine() { out.append(n) }
            case 0x0A:
                if let n = endLine() { out.append(n) }
            default:
                if line.count < Self.maxLineBytes { line.append(b) } else { lineOverflowed = true }
            }
        }
        return out
    }

    public mutating func feed(_ bytes: [UInt8]) -> [String] {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// One line ended; a blank one dispatches the pending event.
    private mutating func endLine() -> String? {
        defer { line.removeAll(keepingCapacity: true); lineOverflowed = false }
        if line.isEmpty {
            guard hasField else { return nil }
            let n = name ?? "message"
            name = nil
            hasField = false
            return n
        }
        if line.first == 0x3A { return nil }  // ":" comment
        let colon = line.firstIndex(of: 0x3A) ?? line.count
        let field = String(decoding: line[..<colon], as: UTF8.self)
        var valueStart = colon < line.count ? colon + 1 : colon
        if valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
        switch field {
        case "event":
            // A cut-off name is not a name worth reporting; the event still counts.
            let value = String(decoding: line[valueStart...], as: UTF8.self)
            name = value.isEmpty || lineOverflowed ? nil : value
            hasField = true
        case "data":
            hasField = true
        default:
            break  // id, retry, unknown fields
        }
        return nil
    }
}
