import Foundation

/// Last line of defence for "tokens never appear on screen, in logs or in reports": every result passes
/// through here before the store sees it. Known secrets (the configured token, a login token) are replaced
/// wherever they occur, and so is anything shaped like a JWT (three base64url parts starting `eyJ`), which
/// catches tokens a server echoes back in a body we captured (`{"access_token": "eyJ…"}`).
public struct SecretScrubber: Sendable {
    public static let mask = "••••"
    private let secrets: [String]

    public init(secrets: [String] = []) {
        // Longest first, so a secret containing another is replaced whole; short strings are not secrets
        // we can replace without mangling ordinary text.
        // A server may echo a secret encoded (a Basic header, a JWT claim, a base64url subprotocol), so
        // each one's base64 and base64url forms are secrets too.
        let plain = secrets.filter { $0.count >= 8 }
        self.secrets = Array(Set(plain + plain.flatMap(Self.encodedForms))).sorted { $0.count > $1.count }
    }

    /// base64 with and without padding, and base64url without padding.
    static func encodedForms(_ secret: String) -> [String] {
        let b64 = Data(secret.utf8).base64EncodedString()
        let unpadded = String(b64.prefix { $0 != "=" })
        let url = unpadded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return [b64, unpadded, url]
    }

    public func scrub(_ text: String) -> String {
        // Nearly every text holds nothing to mask: one pass of byte searches says so without building a new
        // string (Foundation's `contains` folds Unicode through CFStringFind: perf put it at a fifth of a
        // probe run's CPU with 1,000 probes a second, no secret configured).
        guard needsScrub(text) else { return text }
        var out = text
        for s in secrets where ByteSearch.occurs(s, in: out) { out = ByteSearch.replacing(s, with: SecretScrubber.mask, in: out) }
        if ByteSearch.occurs("…", in: out) { out = maskCutSecrets(out) }
        return SecretScrubber.maskJWTs(out)
    }

    /// Whether `text` holds a secret, a JWT's start or a cut ("…"): what `scrub` could change.
    private func needsScrub(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { needsScrub(UnsafeRawBufferPointer($0)) }
    }

    private func needsScrub(_ bytes: UnsafeRawBufferPointer) -> Bool {
        ByteSearch.occurs("eyJ", in: bytes) || ByteSearch.occurs("…", in: bytes) || secrets.contains { ByteSearch.occurs($0, in: bytes) }
    }

    /// Messages are capped before they reach us ("…detail (Y25yeWJ5cGFzczVl…"), which can cut a secret so
    /// that the whole never matches while its first part still gives most of it away. The word right
    /// before each "…" is masked when it is the start (6 characters or more) of a secret.
    private func maskCutSecrets(_ text: String) -> String {
        var parts = text.components(separatedBy: "…")
        for i in 0..<(parts.count - 1) {
            let before = parts[i]
            let word = before.reversed().prefix { !$0.isWhitespace && !"([{\"'=:,;".contains($0) }
            guard word.count >= 6 else { continue }
            let stem = String(word.reversed())
            if secrets.contains(where: { $0.hasPrefix(stem) }) {
                parts[i] = String(before.dropLast(stem.count)) + SecretScrubber.mask
            }
        }
        return parts.joined(separator: "…")
    }

    public func scrub(_ r: ProbeResult) -> ProbeResult {
        var r = r
        r.message = scrub(r.message)
        r.closeReason = r.closeReason.map(scrub)
        if var ws = r.websocket {
            ws.url = scrub(ws.url)
            ws.handshakeHeaders = ws.handshakeHeaders.map { (name: $0.name, value: scrub($0.value)) }
            r.websocket = ws
        }
        // A condition's text may hold a value a journey captured and filled in (`[BODY].echo == Bearer {{token}}`).
        // Lists are rebuilt only when something in them needs masking: every result passes here, and a new
        // array per list per result showed in perf.
        if r.conditions.contains(where: { needsScrub($0.expr) || needsScrub($0.actual) }) {
            r.conditions = r.conditions.map { ConditionResult(expr: scrub($0.expr), ok: $0.ok, actual: scrub($0.actual)) }
        }
        if var resp = r.response {
            if resp.headers.contains(where: { needsScrub($0.value) }) {
                resp.headers = resp.headers.map { (name: $0.name, value: scrub($0.value)) }
            }
            // Decoded only when there is something to mask: most bodies are not.
            if resp.body.withUnsafeBytes({ needsScrub($0) }) {
                let text = String(decoding: resp.body, as: UTF8.self)
                let clean = scrub(text)
                if clean != text { resp.body = Array(clean.utf8) }
            }
            r.response = resp
        }
        if var j = r.journey {
            j.steps = j.steps.map { step in
                var step = step
                step.message = scrub(step.message)
                step.conditions = step.conditions.map { ConditionResult(expr: scrub($0.expr), ok: $0.ok, actual: scrub($0.actual)) }
                step.captures = step.captures.map { CapturedValue(name: $0.name, value: scrub($0.value), secret: $0.secret) }
                return step
            }
            r.journey = j
        }
        return r
    }

    /// Whether anything in `r` that `scrub` reads could change: nearly every result holds nothing to mask,
    /// and it is passed on as it came, not copied field by field into a new one (perf: the copy's retains
    /// were a third of scrubbing a result).
    func needsScrub(_ r: ProbeResult) -> Bool {
        if needsScrub(r.message) || r.closeReason.map(needsScrub) == true || r.journey != nil { return true }
        if let ws = r.websocket, needsScrub(ws.url) || ws.handshakeHeaders.contains(where: { needsScrub($0.value) }) { return true }
        if r.conditions.contains(where: { needsScrub($0.expr) || needsScrub($0.actual) }) { return true }
        if let resp = r.response {
            if resp.headers.contains(where: { needsScrub($0.value) }) { return true }
            if resp.body.withUnsafeBytes({ needsScrub($0) }) { return true }
        }
        return false
    }

    public func scrub(_ e: ProbeEvent) -> ProbeEvent {
        switch e {
        case .finished(let r): needsScrub(r) ? .finished(scrub(r)) : e
        case .note(let m, let at): .note(scrub(m), at: at)
        case .closed(var c): { c.reason = scrub(c.reason); return .closed(c) }()
        case .login(var l): { l.message = scrub(l.message); return .login(l) }()
        case .started, .connection, .streamProgress, .journeyStep: e
        }
    }

    /// Replaces JWT-shaped substrings: `eyJ` + base64url, a dot, base64url, a dot, base64url.
    public static func maskJWTs(_ text: String) -> String {
        guard ByteSearch.occurs("eyJ", in: text) else { return text }
        let chars = Array(text.unicodeScalars)
        func isB64(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_" || c == "="
        }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < chars.count {
            if chars[i] == "e", i + 3 <= chars.count, chars[i + 1] == "y", chars[i + 2] == "J", i == 0 || !isB64(chars[i - 1]) {
                var j = i, dots = 0, segment = 0, ok = true
                while j < chars.count, isB64(chars[j]) || chars[j] == "." {
                    if chars[j] == "." { if segment == 0 { ok = false; break }; dots += 1; segment = 0 } else { segment += 1 }
                    j += 1
                }
                if ok, dots == 2, segment > 0 {
                    out.append(contentsOf: SecretScrubber.mask.unicodeScalars)
                    i = j
                    continue
                }
            }
            out.append(chars[i])
            i += 1
        }
        return String(out)
    }
}
