import Foundation
import StageModel

/// A `ws://` / `wss://` URL taken apart for the bootstrap and the upgrade request.
struct WebSocketURL: Sendable, Equatable {
    var secure: Bool
    var host: String
    var port: Int
    /// Path and query as sent in the request line ("/ws?token=…").
    var requestTarget: String

    /// The Host header: the port only when it is not the scheme's default.
    var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? h : "\(h):\(port)"
    }

    /// The URL as shown to users. Callers pass a request target without secrets (the token query is added
    /// to the sent request only).
    var display: String {
        "\(secure ? "wss" : "ws")://\(hostHeader)\(requestTarget)"
    }

    static func parse(_ text: String) -> WebSocketURL? {
        guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased(),
              scheme == "ws" || scheme == "wss", let host = c.host, !host.isEmpty else { return nil }
        let secure = scheme == "wss"
        var target = c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath
        if let q = c.percentEncodedQuery { target += "?" + q }
        return WebSocketURL(secure: secure, host: host, port: c.port ?? (secure ? 443 : 80), requestTarget: target)
    }

    /// The probe's URL: a full ws(s):// path as is, else the path joined onto `ws_url` without its
    /// trailing `/ws` (the same rule as the detail view's repro, so both show one URL).
    static func resolve(path: String, target: TargetConfig) -> String {
        if path.hasPrefix("ws://") || path.hasPrefix("wss://") { return path }
        var base = target.effectiveWSURL
        if base.hasSuffix("/ws") { base.removeLast(3) }
        return base + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// This URL with one more query item (the `query` auth mode's token).
    func adding(query name: String, value: String) -> WebSocketURL {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        let encoded = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
        var copy = self
        copy.requestTarget += (requestTarget.contains("?") ? "&" : "?") + "\(name)=\(encoded)"
        return copy
    }
}
