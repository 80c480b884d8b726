import Foundation
import Hummingbird

/// The token a WebSocket client presented, and the subprotocol to echo back.
///
/// Staging's clients put the JWT in the subprotocol (`Sec-WebSocket-Protocol: jwt.<base64url(token)>`,
/// report 002's `jwt.ZXlKaGJHY2lPaUpJVXpJ...`: the JWT text base64url'd once more), because browsers
/// cannot set headers on a WebSocket; `Authorization: Bearer` and `?token=` work too. The first of those
/// three that is present is the one checked.
struct WebSocketCredentials: Sendable, Equatable {
    static let protocolPrefix = "jwt."

    /// Nil when the client presented none.
    var token: String?
    /// The offered `jwt.…` subprotocol exactly as offered (what the server echoes).
    var offeredProtocol: String?

    init(token: String?, offeredProtocol: String?) {
        self.token = token
        self.offeredProtocol = offeredProtocol
    }

    init(request: HTTPRequest) {
        let offered = request.headerFields[values: .secWebSocketProtocol]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix(Self.protocolPrefix) }
        self.offeredProtocol = offered
        if let offered {
            self.token = Self.token(fromProtocol: offered)
        } else if let bearer = Self.bearer(request.headerFields[.authorization]) {
            self.token = bearer
        } else {
            self.token = WebSocketPath(request.path ?? "").query["token"]
        }
    }

    /// `jwt.<base64url(token)>` → token. A client that skipped the extra encoding (`jwt.<token>`) is
    /// understood too: a JWT's own text is not valid base64 once it has its dots.
    static func token(fromProtocol offered: String) -> String {
        let encoded = String(offered.dropFirst(protocolPrefix.count))
        if let data = SimToken.decodeBase64URL(encoded), let text = String(data: data, encoding: .utf8),
            text.split(separator: ".", omittingEmptySubsequences: false).count == 3
        {
            return text
        }
        return encoded
    }

    /// The value every client library builds: `jwt.` + base64url(token) without padding.
    static func subprotocol(for token: String) -> String {
        protocolPrefix + SimToken.base64URL(Data(token.utf8))
    }

    private static func bearer(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}

/// The path and query of an upgrade request (`HTTPRequest.path` carries both).
struct WebSocketPath {
    let path: String
    let query: [String: String]

    init(_ target: String) {
        let components = URLComponents(string: target)
        self.path = components?.path ?? target
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] where query[item.name] == nil {
            query[item.name] = item.value ?? ""
        }
        self.query = query
    }
}
