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
        // Byte search: Foundation's `contains` folds Unicode per call, and every recorded header asks (perf).
        return ["authorization", "cookie", "token", "key", "secret", "password"].contains { ByteSearch.occurs($0, in: n) }
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

    /// - Parameter secrets: expanded variables whose values must not be shown; each is written back as
    ///   `$NAME` (in double quotes, so the user's shell expands it again).
    public static func make(_ spec: ProbeSpec, target: TargetConfig, auth: AuthConfig,
                            secrets: [(name: String, value: String)] = []) -> RequestRepro {
        build(spec.body.kindSpec.reproRequest(target: target), target: target, auth: auth, secrets: secrets)
    }

    static func build(_ r: ReproRequest, target: TargetConfig, auth: AuthConfig, secrets: [(name: String, value: String)]) -> RequestRepro {
        let byLength = secrets.filter { !$0.value.isEmpty }.sorted { $0.value.count > $1.value.count }
        func unexpand(_ s: String) -> String {
            byLength.reduce(s) { $0.replacingOccurrences(of: $1.value, with: "$" + $1.name) }
        }
        let url = unexpand(r.url)
        let body = r.body.map(unexpand)
        var shown: [(String, String)] = (target.headers + r.headers).map { h in
            (h.name, isSecretHeader(h.name) ? placeholder(forHeader: h.name) : unexpand(h.value))
        }
        if r.bearer { shown.append(("Authorization", "Bearer " + tokenPlaceholder(auth))) }
        if r.subprotocolToken { shown.append(("Sec-WebSocket-Protocol", "jwt.<base64url(\(tokenPlaceholder(auth)))>")) }
        let placeholders = Set(byLength.map { "$" + $0.name })

        var parts = ["curl", "-sS", "-i"]
        if r.method != "GET" { parts += ["-X", r.method] }
        if r.follow { parts.append("-L") }
        if target.tls.insecure { parts.append("-k") }
        if let ca = target.tls.caFile { parts += ["--cacert", shellQuote(ca)] }
        for res in target.resolve { parts += ["--resolve", shellQuote(res)] }
        for (n, v) in shown {
            // Placeholders must expand in the user's shell: double quotes for those, single for the rest.
            parts += ["-H", v.contains("$") ? "\"\(n): \(v)\"" : shellQuote("\(n): \(v)")]
        }
        if let body { parts += ["--data", quote(body, placeholders: placeholders)] }
        if r.stream { parts.append("-N") }
        parts.append(quote(url, placeholders: placeholders))
        return RequestRepro(url: url, method: r.shownMethod ?? r.method, headers: shown, curl: parts.joined(separator: " "))
    }

    /// Single quotes, unless the text holds a `$NAME` placeholder: then double quotes with everything else
    /// the shell would expand escaped.
    static func quote(_ s: String, placeholders: Set<String>) -> String {
        guard placeholders.contains(where: { s.contains($0) }) else { return shellQuote(s) }
        var out = ""
        var i = s.startIndex
        outer: while i < s.endIndex {
            if s[i] == "$" {
                for p in placeholders where s[i...].hasPrefix(p) {
                    out += p
                    i = s.index(i, offsetBy: p.count)
                    continue outer
                }
            }
            if "\\\"`$".contains(s[i]) { out += "\\" }
            out.append(s[i])
            i = s.index(after: i)
        }
        return "\"" + out + "\""
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

/// What a kind tells the repro line about its request (each kind's `reproRequest`, Kinds/<Kind>/).
public struct ReproRequest: Sendable {
    public var url: String
    public var method: String
    /// What the detail view calls the method ("GET (upgrade)"); `method` when nil.
    public var shownMethod: String?
    public var headers: HeaderList
    public var bearer: Bool
    /// The token rides in `Sec-WebSocket-Protocol` (WebSocket `auth: subprotocol`).
    public var subprotocolToken: Bool
    public var body: String?
    public var follow: Bool
    /// Adds `-N`, so curl prints a stream's data as it arrives.
    public var stream: Bool

    public init(url: String, method: String = "GET", shownMethod: String? = nil, headers: HeaderList = [], bearer: Bool,
                subprotocolToken: Bool = false, body: String? = nil, follow: Bool = false, stream: Bool = false) {
        self.url = url; self.method = method; self.shownMethod = shownMethod; self.headers = headers; self.bearer = bearer
        self.subprotocolToken = subprotocolToken; self.body = body; self.follow = follow; self.stream = stream
    }
}
