/// How a probe's request looks to a person: URL, method, headers and a copy-ready curl command.
/// Secrets are never in it: the token is written as the variable it came from (`$STAGING_JWT`), and every
/// header whose name says it is secret (authorization, cookie, *token*, *key*, *secret*, *password*) is
/// replaced by a `$VARIABLE` placeholder, because config header values were already expanded from the environment.
public struct RequestRepro: Sendable, Equatable {
    public var url: String
    public var method: String
    public var headers: [(String, String)]
    public var curl: String

    public static func == (a: RequestRepro, b: RequestRepro) -> Bool {
        a.url == b.url && a.method == b.method && a.curl == b.curl && a.headers.map { "\($0.0):\($0.1)" } == b.headers.map { "\($0.0):\($0.1)" }
    }

    public static func isSecretHeader(_ name: String) -> Bool {
        let n = name.lowercased()
        return ["authorization", "cookie", "token", "key", "secret", "password"].contains { n.contains($0) }
    }

    /// `${STAGING_JWT}` → `$STAGING_JWT`; a literal token → `$STAGETOP_TOKEN`.
    public static func tokenPlaceholder(_ auth: AuthConfig) -> String {
        if let src = auth.tokenSource, src.hasPrefix("${"), src.hasSuffix("}"), src.count > 3 {
            return "$" + src.dropFirst(2).dropLast()
        }
        return "$STAGETOP_TOKEN"
    }

    static func placeholder(forHeader name: String) -> String {
        "$" + name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined()
    }

    public static func make(_ spec: ProbeSpec, target: TargetConfig, auth: AuthConfig) -> RequestRepro {
        var method = "GET", path = "/", bearer = false, body: String?, follow = false
        var headers: HeaderList = []
        var url: String
        switch spec.body {
        case .http(let h): method = h.method; path = h.path; bearer = h.auth == .bearer; body = h.body; follow = h.followRedirects; headers = h.headers
        case .stream(let s): method = s.method; path = s.path; bearer = s.auth == .bearer; body = s.body; headers = s.headers
        case .burst(let b): method = b.method; path = b.path; bearer = b.auth == .bearer; headers = b.headers
        case .websocket(let w): path = w.path; bearer = w.auth == .bearer
        }
        if case .websocket(let w) = spec.body {
            url = w.path.hasPrefix("ws://") || w.path.hasPrefix("wss://") ? w.path : target.effectiveWSURL.replacingSuffix("/ws", with: "") + w.path
        } else {
            url = target.url(for: path)
        }
        var shown: [(String, String)] = (target.headers + headers).map { h in
            (h.name, isSecretHeader(h.name) ? placeholder(forHeader: h.name) : h.value)
        }
        if bearer { shown.append(("Authorization", "Bearer " + tokenPlaceholder(auth))) }
        if case .websocket(let w) = spec.body, w.auth == .subprotocol {
            shown.append(("Sec-WebSocket-Protocol", "jwt.<base64url(\(tokenPlaceholder(auth)))>"))
        }

        var parts = ["curl", "-sS", "-i"]
        if method != "GET" { parts += ["-X", method] }
        if follow { parts.append("-L") }
        if target.tls.insecure { parts.append("-k") }
        if let ca = target.tls.caFile { parts += ["--cacert", shellQuote(ca)] }
        for r in target.resolve { parts += ["--resolve", shellQuote(r)] }
        for (n, v) in shown {
            // Placeholders must expand in the user's shell: double quotes for those, single for the rest.
            parts += ["-H", v.contains("$") ? "\"\(n): \(v)\"" : shellQuote("\(n): \(v)")]
        }
        if let body { parts += ["--data", shellQuote(body)] }
        if case .stream = spec.body { parts.append("-N") }
        parts.append(shellQuote(url))
        return RequestRepro(url: url, method: spec.kind == .websocket ? "GET (upgrade)" : method, headers: shown, curl: parts.joined(separator: " "))
    }

    static func shellQuote(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:=@,+".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension String {
    func replacingSuffix(_ suffix: String, with new: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + new : self
    }
}

import Foundation
