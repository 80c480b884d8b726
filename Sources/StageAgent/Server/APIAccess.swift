import Foundation

/// Who may use the API: with `--api-token-env VAR` every route but `/healthz` needs
/// `Authorization: Bearer <token>`; `--read-only` refuses re-runs and pausing.
public struct APIAccess: Sendable {
    let token: String?
    public let allowsControl: Bool

    public init(token: String?, allowsControl: Bool = true) {
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.allowsControl = allowsControl
    }

    public var requiresToken: Bool { token != nil }

    /// Compares in constant time (a timing difference must not reveal the token's prefix).
    func admits(authorization header: String?) -> Bool {
        guard let token else { return true }
        guard let header, header.lowercased().hasPrefix("bearer ") else { return false }
        let given = Array(header.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)
        let want = Array(token.utf8)
        var diff = given.count ^ want.count
        for i in 0..<want.count { diff |= Int(want[i] ^ (i < given.count ? given[i] : 0)) }
        return diff == 0
    }
}

/// Where the agent listens: `127.0.0.1:9464`, `[::1]:9464`, `0.0.0.0:9464`, `localhost:9464`.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) { self.host = host; self.port = port }

    public init?(_ text: String) {
        let hostPart: Substring, portPart: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (0...65535).contains(port) else { return nil }
        self.init(host: String(hostPart), port: port)
    }

    /// Only these stay on the machine (`localhost`, `::1`, an IPv4 address in 127.0.0.0/8); anything else
    /// is reachable from the network. A name like `127.example.com` is not an address, so it is not loopback.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        var addr = in_addr()
        guard inet_pton(AF_INET, host, &addr) == 1 else { return false }
        return UInt32(bigEndian: addr.s_addr) >> 24 == 127
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
