import Foundation
import StageModel
import Testing
@testable import StageReports

/// `LineEncoder` writes recording lines by hand; `JSONEncoder` with snake_case keys is what wrote them before
/// and what `RecordingCodec.decoder` was made for. For a result of every kind, and the other line types, both
/// must give the same JSON value (key order aside), and the line must read back.
@Suite struct LineEncoderTests {
    /// The old encoder: snake_case keys, timestamps to the millisecond.
    static let reference: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        e.dateEncodingStrategy = .custom { date, encoder in
            // Rounded to the millisecond as JSONBytes.date does (the formatter truncates).
            let ms = (date.timeIntervalSince1970 * 1000).rounded() / 1000
            var c = encoder.singleValueContainer()
            try c.encode(f.string(from: Date(timeIntervalSince1970: ms + 0.0004)))
        }
        return e
    }()

    static func sameJSON<T: Encodable>(_ value: T) throws -> Bool {
        let mine = try JSONSerialization.jsonObject(with: Data(try LineEncoder.encode(value))) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: try reference.encode(value)) as? NSDictionary
        return mine != nil && mine == theirs
    }

    @Test(arguments: ProbeKind.allCases)
    func aResultLineIsWhatJSONEncoderWrote(_ kind: ProbeKind) throws {
        var r = KindFieldsTests.run(kind)
        r.queueMs = 12.5
        r.timings = Timings(dns: 0.25, connect: 1, tls: 0, ttfb: 80.118, total: 81.234)
        r.conditions = [ConditionResult(expr: "[STATUS] == 200", ok: false, actual: "500 \"quoted\" \\ back\nslash/é")]
        r.statuses = [200: 3, 503: 1, 429: 2]
        let line = RecordingCodec.Line(type: "result", at: r.finishedAt, result: RecordingCodec.dto(r))
        #expect(try Self.sameJSON(line), "\(kind)")
        let text = try #require(RecordingCodec.encode(.event(.finished(r))))
        guard case .event(.finished(let back)) = try RecordingCodec.decode(text) else { Issue.record("not a result: \(text)"); return }
        #expect(back.queueMs == 12.5 && back.timings == r.timings)
        #expect(abs(back.finishedAt.timeIntervalSince(r.finishedAt)) < 0.001)
        if kind != .journey { #expect(back.conditions == r.conditions) }  // a journey's are its steps'
        if kind == .burst {
            // Only a burst records its statuses. A map's keys are sorted, so the same value is the same line.
            #expect(back.statuses == r.statuses)
            #expect(text.contains(#""statuses":{"200":3,"429":2,"503":1}"#), "\(text)")
        }
    }

    @Test func theOtherLinesToo() throws {
        let at = Date(timeIntervalSince1970: 1_800_000_000.123)
        let header = RecordingCodec.Line(type: "header", version: 1, config: "c", target: "h", insecure: false,
                                         probes: [RecordingHeader.Probe(name: "p", group: "g", kind: .http, target: "GET /", enabled: true)], at: at)
        #expect(try Self.sameJSON(header))
        #expect(try Self.sameJSON(RecordingCodec.Line(type: "cycle", at: at, number: 7)))
        #expect(try Self.sameJSON(RecordingCodec.Line(type: "close", at: at, close: .init(probe: "ws", code: 1011, reason: "boom", byServer: true))))
        #expect(try Self.sameJSON(RecordingCodec.Line(type: "login", at: at, login: .init(phase: "failed", message: "401", status: 401, expiresAt: nil))))
        // JSON has no NaN: the line is refused, as JSONEncoder refused it.
        var r = KindFieldsTests.run(.http)
        r.latencyMs = .nan
        #expect(RecordingCodec.encode(.event(.finished(r))) == nil)
    }
}
