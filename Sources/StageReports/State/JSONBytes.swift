import Foundation

/// A JSON writer straight into bytes, for documents too big to build as values first: the agent's
/// state document (`StateDocument`) is ~9 MB at 1,000 probes, and `JSONEncoder` built it as a tree of
/// boxed values that cost 2.3 s and ~90 MB of heap the allocator kept (`stagetop-bench state-doc`).
/// Commas are placed by the writer: every value and key separates itself from the one before.
struct JSONBytes {
    private(set) var bytes: [UInt8]
    /// Nothing written yet in the current object or array, or a key was just written.
    private var fresh = true

    init(reusing buffer: inout [UInt8]) { bytes = ReusedBytes.reuse(&buffer) }

    mutating func release() -> [UInt8] { ReusedBytes.take(&bytes) }

    mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); fresh = true }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); fresh = false }
    mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); fresh = true }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); fresh = false }

    /// An object key; the next value belongs to it. Keys are ours: plain ASCII, no escaping needed.
    mutating func key(_ k: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        k.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        fresh = true
    }

    /// A key chosen at run time (a map's keys), escaped like any string.
    mutating func key(_ k: String) {
        string(k)
        bytes.append(UInt8(ascii: ":"))
        fresh = true
    }

    mutating func string(_ s: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escaping: copy them whole (per-byte appends were a quarter of the encode).
        let plain = s.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain != true { escaped(s.utf8) }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escaped(_ utf8: String.UTF8View) {
        for b in utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: bytes.append(b)
            }
        }
    }

    mutating func int(_ i: Int) { separate(); appendDigits(i) }
    mutating func bool(_ b: Bool) { separate(); bytes.append(contentsOf: (b ? "true" : "false").utf8) }
    mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }

    /// Shortest text that reads back as the same Double; null for NaN and infinities (JSON has none).
    mutating func double(_ d: Double) {
        guard d.isFinite else { return null() }
        separate()
        if d == d.rounded(), abs(d) < 1e15 { appendDigits(Int(d)) } else { bytes.append(contentsOf: d.description.utf8) }
    }

    /// "2026-11-21T10:40:00.123Z", the recording's timestamp (`RecordingCodec.parseTimestamp` reads it), digit by digit:
    /// a state document has ~120,000 of them and a formatted String each took most of the old encode.
    /// The "YYYY-MM-DDT" part is kept per day, so `gmtime_r` runs once per day seen.
    mutating func date(_ d: Date) {
        separate()
        var t = Int(floor(d.timeIntervalSince1970))
        var ms = Int(((d.timeIntervalSince1970 - Double(t)) * 1000).rounded())
        if ms == 1000 { t += 1; ms = 0 }
        let day = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        if day != dayPrefix.day {
            var tt = time_t(t)
            var p = tm()
            gmtime_r(&tt, &p)
            var prefix: [UInt8] = []
            func two(_ v: Int) { prefix.append(UInt8(ascii: "0") + UInt8(v / 10 % 10)); prefix.append(UInt8(ascii: "0") + UInt8(v % 10)) }
            let year = Int(p.tm_year) + 1900
            two(year / 100); two(year % 100); prefix.append(UInt8(ascii: "-")); two(Int(p.tm_mon) + 1); prefix.append(UInt8(ascii: "-"))
            two(Int(p.tm_mday)); prefix.append(UInt8(ascii: "T"))
            dayPrefix = (day, prefix)
        }
        let second = t - day * 86_400
        let h = second / 3600, m = second / 60 % 60, s = second % 60
        let zero = UInt8(ascii: "0"), colon = UInt8(ascii: ":")
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: dayPrefix.prefix)
        bytes.append(contentsOf: [zero + UInt8(h / 10), zero + UInt8(h % 10), colon, zero + UInt8(m / 10), zero + UInt8(m % 10), colon,
                                  zero + UInt8(s / 10), zero + UInt8(s % 10), UInt8(ascii: "."),
                                  zero + UInt8(ms / 100), zero + UInt8(ms / 10 % 10), zero + UInt8(ms % 10), UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }
    private var dayPrefix: (day: Int, prefix: [UInt8]) = (.min, [])

    /// A value already encoded elsewhere (a cached result), written as is.
    mutating func raw(_ json: [UInt8]) { separate(); bytes.append(contentsOf: json) }

    // Optional fields are left out when nil, as JSONEncoder leaves them out: the decoder reads both.
    mutating func field(_ k: StaticString, _ v: String?) { if let v { key(k); string(v) } }
    mutating func field(_ k: StaticString, _ v: Int?) { if let v { key(k); int(v) } }
    mutating func field(_ k: StaticString, _ v: Double?) { if let v { key(k); double(v) } }
    mutating func field(_ k: StaticString, _ v: Bool?) { if let v { key(k); bool(v) } }
    mutating func field(_ k: StaticString, _ v: Date?) { if let v { key(k); date(v) } }
    mutating func field<E: RawRepresentable<String>>(_ k: StaticString, _ v: E?) { if let v { key(k); string(v.rawValue) } }

    private mutating func separate() {
        if !fresh { bytes.append(UInt8(ascii: ",")) }
        fresh = false
    }

    private mutating func appendDigits(_ i: Int) {
        if i < 0 { bytes.append(UInt8(ascii: "-")) }
        var m = i.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat { buf[n] = UInt8(ascii: "0") + UInt8(m % 10); m /= 10; n += 1 } while m > 0
            for k in stride(from: n - 1, through: 0, by: -1) { bytes.append(buf[k]) }
        }
    }
}
