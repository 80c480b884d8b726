import Foundation
import StageModel
import Testing
@testable import StageProbes

@Suite("WebSocket pieces: matching, shapes, auth encoding, URLs, redaction")
struct WebSocketUnitTests {
    let welcome = JSONValue.parse(#"{"type":"system_message","data":{"event":"connection_established","user_id":"u3"}}"#)
    let legacy = JSONValue.parse(#"{"type":"connection_established","connection_id":"ws_1","user_id":"u3"}"#)
    let pattern: WebSocketMatch.Pattern = [(key: "type", value: .string("system_message")),
                                           (key: "data.event", value: .string("connection_established"))]

    @Test("dotted keys, object subsets, arrays, and numbers equal to their text")
    func matching() {
        #expect(WebSocketMatch.matches(welcome, pattern))
        #expect(!WebSocketMatch.matches(legacy, pattern))
        #expect(WebSocketMatch.matches(welcome, [(key: "data", value: .object(["event": .string("connection_established")]))]))
        #expect(!WebSocketMatch.matches(welcome, [(key: "data.missing", value: .null)]))
        let n = JSONValue.parse(#"{"code":200,"tags":["a","b"],"ok":true}"#)
        #expect(WebSocketMatch.matches(n, [(key: "code", value: .string("200"))]))
        #expect(WebSocketMatch.matches(n, [(key: "code", value: .number(200))]))
        #expect(WebSocketMatch.matches(n, [(key: "tags", value: .array([.string("a"), .string("b")]))]))
        #expect(!WebSocketMatch.matches(n, [(key: "tags", value: .array([.string("a")]))]))
        #expect(WebSocketMatch.matches(n, [(key: "ok", value: .bool(true))]))
        #expect(!WebSocketMatch.matches(nil, pattern))
    }

    @Test("schema: same type other keys, an expected value under another key, a first message of another shape")
    func schemaDetection() {
        #expect(WebSocketMatch.mismatch(legacy, pattern, firstMessageForFirstStep: false) == .schema)
        let otherEvent = JSONValue.parse(#"{"type":"system_message","data":{"event":"heartbeat"}}"#)
        #expect(WebSocketMatch.mismatch(otherEvent, pattern, firstMessageForFirstStep: false) == .schema)
        let unrelated = JSONValue.parse(#"{"type":"agent_thinking"}"#)
        #expect(WebSocketMatch.mismatch(unrelated, pattern, firstMessageForFirstStep: false) == .unrelated)
        #expect(WebSocketMatch.mismatch(unrelated, pattern, firstMessageForFirstStep: true) == .schema)
        let error = JSONValue.parse(#"{"type":"error_message","error_code":"AUTH_REQUIRED","error_message":"connection_established?"}"#)
        #expect(WebSocketMatch.mismatch(error, pattern, firstMessageForFirstStep: true) == .unrelated)
    }

    @Test("messages quote type first and cut long text")
    func quoting() {
        let q = WebSocketMatch.quote(legacy!, limit: 40)
        #expect(q.hasPrefix(#"{"type":"connection_established","#))
        #expect(q.count == 40 && q.hasSuffix("…"))
        #expect(WebSocketMatch.describe(pattern) == "{type: system_message, data.event: connection_established}")
        #expect(WebSocketMatch.label(pattern) == "system_message")
        #expect(WebSocketMatch.label([(key: "data.event", value: .string("x"))]) == "{data.event: x}")
        let err = JSONValue.parse(#"{"type":"error_message","error_code":"AUTH_REQUIRED","error_message":"Authentication failed"}"#)!
        #expect(WebSocketMatch.serverErrorSummary(err) == "AUTH_REQUIRED: Authentication failed")
        #expect(WebSocketStepRunner.summarize(["a", "b", "b", "b", "c"]) == "a, b×3, c")
        #expect(WebSocketStepRunner.summarize((1...10).map { "e\($0)" }, limit: 3) == "e1, e2, e3, … (+7)")
    }

    @Test("close classes: 1008 policy, 1011 internal, anything else close")
    func closeClasses() {
        #expect(WebSocketStepRunner.closeClass(1008) == .wsPolicy)
        #expect(WebSocketStepRunner.closeClass(1011) == .wsInternal)
        #expect(WebSocketStepRunner.closeClass(1001) == .wsClose)
        #expect(WebSocketStepRunner.closeClass(nil) == .wsClose)
        #expect(WebSocketStepRunner.closeText(code: 1008, reason: "Authentication failed") == "closed 1008 (policy violation): Authentication failed")
    }

    @Test("the subprotocol is jwt. + base64url without padding; the echo must be exact")
    func subprotocol() {
        // "ab?" base64 is "YWI/"; url-safe "YWI_"; "a" is "YQ==" → "YQ".
        #expect(WebSocketAuth.subprotocol(for: Secret("ab?")) == "jwt.YWI_")
        #expect(WebSocketAuth.subprotocol(for: Secret("a")) == "jwt.YQ")
        #expect(WebSocketProbeContext.subprotocolProblem(offered: "jwt.YQ", echoed: "jwt.YQ") == nil)
        #expect(WebSocketProbeContext.subprotocolProblem(offered: "jwt.YQ", echoed: nil) == "server did not echo the offered subprotocol jwt.<redacted>")
        #expect(WebSocketProbeContext.subprotocolProblem(offered: "jwt.YQ", echoed: "chat") == "server chose subprotocol 'chat', offered jwt.<redacted>")
        #expect(WebSocketProbeContext.subprotocolProblem(offered: nil, echoed: "chat") == "server chose subprotocol 'chat' though none was offered")
        #expect(WebSocketProbeContext.subprotocolProblem(offered: nil, echoed: nil) == nil)
    }

    @Test("URLs: path onto ws_url without its /ws, full URLs as is, query tokens added encoded")
    func urls() throws {
        let t = TargetConfig(baseURL: "https://api.staging.example.com", wsURL: nil)
        #expect(WebSocketURL.resolve(path: "/ws", target: t) == "wss://api.staging.example.com/ws")
        #expect(WebSocketURL.resolve(path: "/ws/v2", target: t) == "wss://api.staging.example.com/ws/v2")
        #expect(WebSocketURL.resolve(path: "ws://other:81/x", target: t) == "ws://other:81/x")
        let u = try #require(WebSocketURL.parse("wss://api.staging.example.com/ws"))
        #expect(u.secure && u.port == 443 && u.hostHeader == "api.staging.example.com" && u.requestTarget == "/ws")
        let local = try #require(WebSocketURL.parse("ws://127.0.0.1:8080/ws?x=1"))
        #expect(local.hostHeader == "127.0.0.1:8080" && local.requestTarget == "/ws?x=1")
        #expect(local.adding(query: "token", value: "a+b=c").requestTarget == "/ws?x=1&token=a%2Bb%3Dc")
        #expect(WebSocketURL.parse("http://x/ws") == nil)
    }

    @Test("the redactor removes every spelling of the token from every field")
    func redactor() {
        let token = "eyJ0.payload+/=.sig"
        let r = TokenRedactor(Secret(token))
        let b64 = WebSocketAuth.base64url(token)
        #expect(r("offered jwt.\(b64) and \(token)") == "offered jwt.<redacted> and <redacted>")
        var result = ProbeResult(probe: "p", kind: .websocket, verdict: .fail, message: "got \(token)",
                                 closeReason: "bad jwt.\(b64)", conditions: [ConditionResult(expr: "[SUBPROTOCOL] == x", ok: false, actual: "jwt.\(b64)")],
                                 events: [TimedEvent(type: token, atMs: 1)],
                                 response: ResponseCapture(status: 403, headers: [("X-Echo", token)], body: Array(token.utf8)),
                                 websocket: WebSocketInfo(url: "ws://h/ws?token=\(token)", handshakeHeaders: [("Sec-WebSocket-Protocol", "jwt.\(b64)")],
                                                          subprotocol: "jwt.\(b64)"),
                                 startedAt: Date(), finishedAt: Date())
        result = r(result)
        let text = allText(result)
        #expect(!text.contains(token) && !text.contains(b64))
        #expect(result.websocket?.subprotocol == "jwt.<redacted>")
        #expect(TokenRedactor(nil)("anything") == "anything")
    }
}
