import FuzzSupport
import StageModel
import StageProbes

// The WebSocket step matcher: each text message a probe receives is parsed, typed, matched against the
// step's `expect` pattern and, when it does not match, classified (a server error, the right message in
// the wrong shape, or unrelated) and quoted for the failure message: what WebSocketStepRunner does per message.
//
// Input: lines. A first line that is a JSON object is one more pattern (its keys, dotted paths allowed, in
// sorted order); every other line is a message. The fixed patterns come from a config's `expect` steps,
// loaded once with the real loader, so they have the shapes users write.

private let configPatterns: [WebSocketMatch.Pattern] = {
    let yaml = """
    target: { base_url: "http://127.0.0.1:8080" }
    probes:
      - name: chat
        websocket:
          path: /ws
          auth: none
          steps:
            - expect: { type: system_message, data.event: connection_established }
            - expect: { type: connection_established }
            - expect: { type: agent_completed, data.status: ok }
            - expect: { code: 200, tags: [a, b], payload: { ok: true }, "items[0].id": x1 }
            - expect: { "data.items[1]": 2.5, "data.deep.list": null }
    """
    let config: StageConfig
    do { config = try ConfigLoader.parse(yaml: yaml, options: ConfigLoadOptions(environment: [:])) } catch {
        preconditionFailure("the fuzz target's own config does not load: \(error)")
    }
    guard case .websocket(let ws)? = config.probes.first?.body else { preconditionFailure("not a websocket probe") }
    return ws.steps.compactMap { if case .expect(let match, _) = $0 { return match } else { return nil } }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebSocketMatch(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var lines = UnsafeBufferPointer(start: data, count: size).split(separator: 0x0A, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    var patterns = configPatterns
    if let first = lines.first, case .object(let fields)? = JSONValue.parse(first) {
        patterns.append(fields.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
        lines.removeFirst()
    }
    for pattern in patterns {
        _ = (WebSocketMatch.label(pattern), WebSocketMatch.describe(pattern))
    }
    // Each message parsed once, as the runner does, then held against every pattern.
    for (index, text) in lines.enumerated() {
        let json = JSONValue.parse(text)
        _ = WebSocketMatch.eventType(text, json)
        if let json, WebSocketMatch.isServerError(json) { _ = WebSocketMatch.serverErrorSummary(json) }
        var quoted = false
        for pattern in patterns where !WebSocketMatch.matches(json, pattern) {
            let schema = WebSocketMatch.mismatch(json, pattern, firstMessageForFirstStep: index == 0) == .schema
            if schema, !quoted { _ = WebSocketMatch.quote(text: text, limit: 200); quoted = true }
        }
    }
    return 0
}

@main enum Main {
    static func main() { runLibFuzzer(fuzzWebSocketMatch) }
}
