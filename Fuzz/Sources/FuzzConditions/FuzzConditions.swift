import FuzzSupport
import StageModel

// The condition parser, and the evaluator on whatever parses. The response is fixed and has something for
// every placeholder ([STATUS], [BODY] paths into objects and arrays, [HEADER], [STATUSES], [EVENTS], ...),
// so a parsed condition reaches the comparison code rather than stopping at "<missing>".

private let body = Array(#"""
{"status":"healthy","services":[{"name":"a","ok":true},{"name":"b","ok":false}],"n":3,"ratio":0.25,"ok":true,
 "nested":{"deep":{"list":[1,2,[3,"x"]],"null":null}},"text":"all healthy","empty":{},"unicode":"h\u00e9\ud83d\ude00"}
"""#.utf8)

private let observation = Observation(
    status: 200, statuses: [200: 38, 429: 12], responseTimeMs: 82.7, ttfbMs: 80, body: body,
    headers: [("Content-Type", "application/json"), ("X-Request-Id", "abc-123"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
    connected: true, subprotocol: "jwt.YQ", closeCode: 1011, events: ["agent_started", "agent_thinking", "agent_completed"],
    maxGapMs: 1250)

/// A body that is not JSON: [BODY] conditions then compare text.
private let textObservation = Observation(status: 503, body: Array("upstream connect error".utf8))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConditions(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let condition: Condition
    do {
        condition = try ConditionParser.parse(source)
    } catch {
        _ = (error.offset, error.message, error.hint)
        return 0
    }
    for result in Conditions.evaluate([condition], observation) + Conditions.evaluate([condition], textObservation) {
        _ = (result.ok, result.actual)
    }
    return 0
}

@main enum Main {
    static func main() { runLibFuzzer(fuzzConditions) }
}
