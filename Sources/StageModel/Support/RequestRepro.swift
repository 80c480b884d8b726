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
        spec.body.kindSpec.repro(target: target, auth: auth)
    }

    /// The request as curl sends it; each kind's `repro` fills in its part (Kinds/<Kind>/).
    /// - Parameters:
    ///   - shownMethod: what the detail view calls the method ("GET (upgrade)"); `method` by default.
    ///   - extraShown: headers the kind adds after the bearer token (the WebSocket subprotocol).
    ///   - stream: adds `-N`, so curl prints a stream's data as it arrives.
    static func build(url: String, method: String = "GET", shownMethod: String? = nil, headers: HeaderList = [], bearer: Bool,
                      extraShown: [(String, String)] = [], body: String? = nil, follow: Bool = false, stream: Bool = false,
                      target: TargetConfig, auth: AuthConfig) -> RequestRepro {
        var shown: [(String, String)] = (target.headers + headers).map { h in
            (h.name, isSecretHeader(h.name) ? placeholder(forHeader: h.name) : h.value)
        }
        if bearer { shown.append(("Authorization", "Bearer " + tokenPlaceholder(auth))) }
        shown += extraShown

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
        if stream { parts.append("-N") }
        parts.append(shellQuote(url))
        return RequestRepro(url: url, method: shownMethod ?? method, headers: shown, curl: parts.joined(separator: " "))
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
