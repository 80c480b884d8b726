import Foundation
import StageModel

/// How a token rides on the upgrade request (docs/config.md, `websocket.auth`), and how it is kept out of results.
enum WebSocketAuth {
    /// `jwt.<base64url(token)>` without padding: what staging's clients offer in `Sec-WebSocket-Protocol`.
    static func subprotocol(for token: Secret) -> String {
        "jwt." + base64url(token.value)
    }

    /// What the negotiated token subprotocol reads as in results, conditions and the detail view: the
    /// subprotocol *is* the token (base64 decodes it), so its value is never shown.
    static let redactedSubprotocol = "jwt.<redacted>"

    static func base64url(_ text: String) -> String {
        var s = Data(text.utf8).base64EncodedString()
        s = s.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }
}

/// Removes every spelling of the token from text that came back from a server (close reasons, error
/// messages, handshake bodies and headers may echo what they were sent) before it reaches a result.
struct TokenRedactor: Sendable {
    private let needles: [String]

    init(_ token: Secret?) {
        guard let t = token?.value, t.count >= 4 else { needles = []; return }
        let b64 = Data(t.utf8).base64EncodedString()
        var forms = [t, WebSocketAuth.base64url(t), b64, b64.replacingOccurrences(of: "=", with: "")]
        if let pct = t.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { forms.append(pct) }
        // Longest first, so "jwt.<b64>" is not left half-replaced by a shorter form inside it.
        needles = Array(Set(forms)).filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    func callAsFunction(_ text: String) -> String {
        guard !needles.isEmpty else { return text }
        var out = text
        for n in needles where out.contains(n) {
            out = out.replacingOccurrences(of: n, with: "<redacted>")
        }
        // A subprotocol echoed back reads "jwt.<redacted>" after the pass above.
        return out
    }

    func callAsFunction(_ text: String?) -> String? { text.map { self($0) } }

    func callAsFunction(_ headers: HeaderList) -> HeaderList {
        headers.map { (name: $0.name, value: self($0.value)) }
    }

    /// Every text field of a result that may hold server-supplied or request-derived strings.
    func callAsFunction(_ r: ProbeResult) -> ProbeResult {
        guard !needles.isEmpty else { return r }
        var r = r
        r.message = self(r.message)
        r.closeReason = self(r.closeReason)
        r.conditions = r.conditions.map { ConditionResult(expr: $0.expr, ok: $0.ok, actual: self($0.actual)) }
        r.events = r.events.map { TimedEvent(type: self($0.type), atMs: $0.atMs) }
        if var ws = r.websocket {
            ws.url = self(ws.url)
            ws.subprotocol = self(ws.subprotocol)
            ws.handshakeHeaders = self(ws.handshakeHeaders)
            r.websocket = ws
        }
        if var resp = r.response {
            resp.headers = self(resp.headers)
            let text = String(decoding: resp.body, as: UTF8.self)
            let clean = self(text)
            if clean != text { resp.body = Array(clean.utf8) }
            r.response = resp
        }
        return r
    }

    func callAsFunction(_ record: CloseRecord) -> CloseRecord {
        var c = record
        c.reason = self(c.reason)
        return c
    }

    func callAsFunction(_ info: WebSocketInfo) -> WebSocketInfo {
        var i = info
        i.url = self(i.url)
        i.subprotocol = self(i.subprotocol)
        i.handshakeHeaders = self(i.handshakeHeaders)
        return i
    }
}
