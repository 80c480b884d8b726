import Foundation
import NIOCore
import StageModel

/// Why a connection's steps did not complete, already classed (docs/config.md, "Verdicts" and "Failure classes").
struct WebSocketStepFailure: Sendable, Equatable {
    var failureClass: FailureClass
    var message: String
    /// The close frame (or the code we sent) when the failure is a close.
    var closeCode: Int?
    var closeReason: String?
    var closedByServer: Bool = true
}

/// What running the steps on one connection saw.
struct WebSocketStepOutcome: Sendable {
    /// Every message's `type` with its arrival time from the start of the connection attempt.
    var events: [TimedEvent] = []
    var failure: WebSocketStepFailure?
    /// When the last step completed, ms from the start of the attempt.
    var completedAtMs: Double?
    /// The first `error_message` the server sent, summarised.
    var serverError: String?
    /// The last text message received during the steps: [BODY] for a websocket probe (gatus reads the
    /// reply to what it sent there). Kept only while the steps run; redacted with the result.
    var lastText: String?
}

/// Runs `expect` / `send` steps on an open connection, in order.
struct WebSocketStepRunner {
    var steps: [WSStep]
    /// A step's `within` when it has none: the probe timeout.
    var defaultWithin: Double
    var limits: WebSocketLimits

    private struct Early { var type: String; var atMs: Double; var beforeLabel: String }

    func run(_ session: WebSocketSession) async -> WebSocketStepOutcome {
        var out = WebSocketStepOutcome()
        let hs = session.handshake
        // Types received since the last `send`: the replies a missing event is judged against.
        var sinceSend: [String] = []
        var early: [Int: Early] = [:]
        var textMessages = 0
        let expectIndices = steps.indices.filter { if case .expect = steps[$0] { true } else { false } }

        func fail(_ f: WebSocketStepFailure) -> WebSocketStepOutcome {
            var f = f
            if let e = out.serverError, !f.message.contains(e) { f.message += "; server error \(e)" }
            out.failure = f
            return out
        }

        for (index, step) in steps.enumerated() {
            switch step {
            case .send, .sendText:
                let (text, sending): (String, String)
                switch step {
                case .send(let json): (text, sending) = (json.jsonText, json["type"].map { "sending \($0.description)" } ?? "sending")
                case .sendText(let t): (text, sending) = (t, "sending text")
                case .expect: continue
                }
                guard await session.send(text) else {
                    // A server that answered and closed before our message went out (a refusal such as
                    // AUTH_REQUIRED, then 1008) is the same server as one that closed just after it: what it
                    // sent is still queued, so an `expect` next judges it either way and the verdict does not
                    // hang on which came first. (TCP, and gatus with it, lets such a write through.)
                    if index + 1 < steps.count, case .expect = steps[index + 1] { continue }
                    let why = await Self.reasonAfterWriteFailure(session, while: sending)
                    return fail(why ?? WebSocketStepFailure(failureClass: .wsClose, message: "connection dropped (1006 abnormal) while \(sending)",
                                                            closeCode: 1006, closeReason: ""))
                }
                sinceSend = []

            case .expect(let pattern, let within):
                let label = WebSocketMatch.label(pattern)
                if let e = early[index] {
                    return fail(WebSocketStepFailure(failureClass: .missingEvent, message: String(
                        format: "out of order: %@ arrived at %.0f ms, before %@", e.type, e.atMs, e.beforeLabel)))
                }
                let seconds = within?.seconds ?? defaultWithin
                let deadline = NIODeadline.now() + .nanoseconds(Int64(seconds * 1e9))
                waiting: while true {
                    switch await session.next(until: deadline) {
                    case .deadline:
                        var message = Self.missingMessage(label, seconds, sinceSend, notReached: laterLabels(after: index))
                        if let partial = session.connection.pipe.partialMessage { message += Self.partialText(partial) }
                        return fail(WebSocketStepFailure(failureClass: .missingEvent, message: message))
                    case .ended:
                        return fail(WebSocketStepFailure(failureClass: .wsClose,
                                                         message: "connection dropped without a close frame (1006 abnormal) while waiting for \(label)",
                                                         closeCode: 1006, closeReason: ""))
                    case .event(.text(let text, let at)):
                        let json = JSONValue.parse(text)
                        let type = WebSocketMatch.eventType(text, json)
                        let atMs = hs.ms(since: at)
                        out.events.append(TimedEvent(type: type, atMs: atMs))
                        out.lastText = text
                        sinceSend.append(type)
                        textMessages += 1
                        if WebSocketMatch.matches(json, pattern) { break waiting }
                        if let json, WebSocketMatch.isServerError(json) {
                            if out.serverError == nil { out.serverError = WebSocketMatch.serverErrorSummary(json) }
                            continue waiting
                        }
                        let firstForFirst = textMessages == 1 && index == expectIndices.first
                        if WebSocketMatch.mismatch(json, pattern, firstMessageForFirstStep: firstForFirst) == .schema {
                            return fail(WebSocketStepFailure(failureClass: .schema, message:
                                "expected \(WebSocketMatch.describe(pattern)), got \(WebSocketMatch.quote(text: text, limit: limits.quotedMessageChars))"))
                        }
                        // A later step's event before this one's: remember it, so that step fails at once
                        // (not for a later `expect: {}`, which any message meets).
                        if let later = expectIndices.first(where: { $0 > index && early[$0] == nil && Self.pattern(steps[$0]).map { !$0.isEmpty && WebSocketMatch.matches(json, $0) } == true }) {
                            early[later] = Early(type: type, atMs: atMs, beforeLabel: label)
                        }
                    case .event(.binary(let bytes, let at)):
                        out.events.append(TimedEvent(type: "<binary>", atMs: hs.ms(since: at)))
                        sinceSend.append("<binary \(bytes) B>")
                    case .event(.pong), .event(.deadline):
                        continue waiting
                    case .event(.closeFrame(let code, let reason, _)):
                        return fail(Self.closeFailure(code: code, reason: reason, waitingFor: label))
                    case .event(.failed(let failure, let sentCode, _)):
                        return fail(Self.streamFailure(failure, sentCode: sentCode, waitingFor: label))
                    }
                }
            }
        }
        out.completedAtMs = hs.ms(since: .now())
        return out
    }

    private func laterLabels(after index: Int) -> [String] {
        steps[(index + 1)...].compactMap { Self.pattern($0).map(WebSocketMatch.label) }
    }

    static func pattern(_ step: WSStep) -> WebSocketMatch.Pattern? {
        if case .expect(let p, _) = step { return p }
        return nil
    }

    /// "agent_completed not received within 30.0 s; got agent_started, agent_thinking, tool_executing, tool_completed".
    static func missingMessage(_ label: String, _ seconds: Double, _ got: [String], notReached: [String]) -> String {
        var m = String(format: "%@ not received within %.1f s; got ", label, seconds)
        m += got.isEmpty ? "nothing" : summarize(got)
        if !notReached.isEmpty { m += "; not reached: " + summarize(notReached) }
        return m
    }

    /// "; a message was still arriving: 100.0 KB in 1000 fragments, no final fragment".
    static func partialText(_ p: (bytes: Int, fragments: Int)) -> String {
        "; a message was still arriving: \(HTTPProbeRunner.byteCount(p.bytes)) in \(p.fragments) fragment\(p.fragments == 1 ? "" : "s"), no final fragment"
    }

    /// Runs of one type collapse ("agent_thinking×3"); long lists end with "… (+N)".
    static func summarize(_ types: [String], limit: Int = 8) -> String {
        var runs: [(String, Int)] = []
        for t in types {
            if let last = runs.last, last.0 == t { runs[runs.count - 1].1 += 1 } else { runs.append((t, 1)) }
        }
        var parts = runs.prefix(limit).map { $0.1 > 1 ? "\($0.0)×\($0.1)" : $0.0 }
        if runs.count > limit { parts.append("… (+\(runs.count - limit))") }
        return parts.joined(separator: ", ")
    }

    /// 1008 → ws_policy, 1011 → ws_internal, anything else → ws_close.
    static func closeClass(_ code: Int?) -> FailureClass {
        switch code {
        case 1008: .wsPolicy
        case 1011: .wsInternal
        default: .wsClose
        }
    }

    /// "closed 1008 (policy violation): Authentication failed".
    static func closeText(code: Int?, reason: String) -> String {
        let c = code ?? 1005
        return "closed \(c) (\(Format.closeCodeName(c)))" + (reason.isEmpty ? "" : ": \(reason)")
    }

    static func closeFailure(code: Int?, reason: String, waitingFor label: String?) -> WebSocketStepFailure {
        var m = closeText(code: code, reason: reason)
        if let label { m += " while waiting for \(label)" }
        return WebSocketStepFailure(failureClass: closeClass(code), message: m, closeCode: code ?? 1005, closeReason: reason)
    }

    /// A limit or protocol violation we closed on, a ping timeout, or a socket error.
    static func streamFailure(_ f: WebSocketStreamFailure, sentCode: Int?, waitingFor label: String?) -> WebSocketStepFailure {
        let suffix = label.map { " while waiting for \($0)" } ?? ""
        switch f {
        case .io(let text):
            return WebSocketStepFailure(failureClass: .network, message: text + suffix, closeCode: 1006, closeReason: "",
                                        closedByServer: true)
        default:
            let code = sentCode ?? 1006
            let name = Format.closeCodeName(code)
            // Broken frames, bad UTF-8 and illegal close codes are the server breaking WebSocket's rules;
            // an oversize message or a ping timeout is a close for a limit we keep.
            let cls: FailureClass
            switch f {
            case .protocolError, .invalidUTF8: cls = .protocol
            default: cls = .wsClose
            }
            return WebSocketStepFailure(failureClass: cls, message: "\(f.text); closed \(code) (\(name))" + suffix,
                                        closeCode: code, closeReason: f.text, closedByServer: false)
        }
    }

    /// After a failed write, what the connection said on its way out.
    static func reasonAfterWriteFailure(_ session: WebSocketSession, while doing: String) async -> WebSocketStepFailure? {
        let until = NIODeadline.now() + .milliseconds(500)
        while true {
            switch await session.next(until: until) {
            case .event(.closeFrame(let code, let reason, _)):
                var f = closeFailure(code: code, reason: reason, waitingFor: nil)
                f.message += " while \(doing)"
                return f
            case .event(.failed(let f, let sent, _)):
                var failure = streamFailure(f, sentCode: sent, waitingFor: nil)
                failure.message += " while \(doing)"
                return failure
            case .event: continue
            case .deadline, .ended: return nil
            }
        }
    }
}
