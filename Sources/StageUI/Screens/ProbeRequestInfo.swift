import Foundation
import StageModel

/// How a probe's request is made, for the detail view. Not part of `ProbeResult`: the CLI builds it
/// from the config and passes it to the renderer keyed by probe name.
///
/// Never put a raw secret here. The caller passes placeholders: `Authorization: Bearer $STAGING_JWT`,
/// `X-E2E-Bypass-Key: $E2E_BYPASS_KEY`, and the same in `curl`, so the command stays copy-ready without
/// the secret ever reaching the screen (or a screenshot). As a second line of defence the detail view
/// masks every sensitive header value in the header list, and any sensitive `-H` value in `curl` that is
/// not a `$VARIABLE` placeholder.
public struct ProbeRequestInfo: Sendable, Equatable {
    public var url: String
    public var method: String
    public var headers: [(String, String)]
    /// A complete curl command reproducing the request, secrets as `$VARIABLE`s.
    public var curl: String

    public init(url: String, method: String, headers: [(String, String)] = [], curl: String) {
        self.url = url; self.method = method; self.headers = headers; self.curl = curl
    }

    /// From the model's repro (`RequestRepro.make(spec, target:, auth:)`), which already writes secrets
    /// as `$VARIABLE` placeholders: the CLI maps its config's probes through this.
    public init(_ repro: RequestRepro) {
        self.init(url: repro.url, method: repro.method, headers: repro.headers, curl: repro.curl)
    }

    public static func == (a: ProbeRequestInfo, b: ProbeRequestInfo) -> Bool {
        a.url == b.url && a.method == b.method && a.curl == b.curl
            && a.headers.map { "\($0.0):\($0.1)" } == b.headers.map { "\($0.0):\($0.1)" }
    }
}

/// Which header values the UI never shows.
public enum Masking {
    /// authorization, proxy-authorization, cookie, set-cookie, anything with token, key, secret or password in its name.
    public static func isSensitive(header name: String) -> Bool {
        let n = name.lowercased()
        return n.contains("authorization") || n.contains("cookie") || n.contains("token") || n.contains("key")
            || n.contains("secret") || n.contains("password")
    }

    /// The header value as displayed: `mask` for sensitive headers.
    public static func display(header name: String, value: String, mask: String) -> String {
        isSensitive(header: name) ? mask : value
    }

    /// The curl command with every sensitive `-H 'Name: value'` whose value is not a `$VARIABLE`
    /// placeholder replaced by `mask` (defence in depth: the caller should already pass placeholders).
    public static func maskCurl(_ curl: String, mask: String) -> String {
        var out = ""
        var rest = Substring(curl)
        while let h = rest.range(of: "-H ") {
            out += rest[..<h.upperBound]
            rest = rest[h.upperBound...]
            guard let quote = rest.first, quote == "'" || quote == "\"" else { continue }
            let body = rest.dropFirst()
            guard let close = body.firstIndex(of: quote) else { break }
            let header = body[..<close]
            var replaced = String(header)
            if let colon = header.firstIndex(of: ":") {
                let name = header[..<colon].trimmingCharacters(in: .whitespaces)
                let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if isSensitive(header: name) && !isPlaceholder(value) { replaced = "\(name): \(mask)" }
            }
            out += String(quote) + replaced + String(quote)
            rest = body[body.index(after: close)...]
        }
        return out + rest
    }

    /// `$VAR`, `${VAR}` or `Bearer $VAR`.
    static func isPlaceholder(_ value: String) -> Bool {
        let parts = value.split(separator: " ")
        guard let last = parts.last, parts.count <= 2 else { return false }
        return last.hasPrefix("$")
    }
}
