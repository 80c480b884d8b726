import Foundation
import StageModel

/// The two JWT claims the login step needs, read without verifying the signature: stagetop only wants to
/// know when to log in again, and the server is the one that checks the token.
struct TokenClaims: Equatable {
    var expiresAt: Date?
    var issuedAt: Date?

    /// Nil when the token is not a JWT (an opaque token is fine; then `expires_in` or nothing tells expiry).
    init?(jwt token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Self.base64URLDecode(parts[1]), let json = JSONValue.parse(payload) else { return nil }
        func date(_ key: String) -> Date? {
            if case .number(let n)? = json[key], n.isFinite { return Date(timeIntervalSince1970: n) }
            return nil
        }
        expiresAt = date("exp")
        issuedAt = date("iat")
    }

    init(expiresAt: Date?, issuedAt: Date?) { self.expiresAt = expiresAt; self.issuedAt = issuedAt }

    /// base64url without padding, as JWT parts are written.
    static func base64URLDecode(_ text: Substring) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        s += String(repeating: "=", count: (4 - s.count % 4) % 4)
        return Data(base64Encoded: s).map { Array($0) }
    }
}

/// When to log in again: `margin` before expiry, the margin being 30 s or a fifth of the token's
/// lifetime, whichever is shorter. A 15-minute token is renewed 30 s before it expires, a 2-second one
/// at 80 % of its life; either way no probe is handed a token about to expire.
enum TokenRenewal {
    static let maxMargin: Double = 30
    static let lifetimeFraction: Double = 0.2

    static func refreshAt(expiresAt: Date?, issuedAt: Date?, obtainedAt: Date) -> Date? {
        guard let expiresAt else { return nil }
        let lifetime = expiresAt.timeIntervalSince(issuedAt ?? obtainedAt)
        // exp at or before iat: the claims say nothing usable; renewing on them would mean logging in
        // again and again. The server's 401s will show what is wrong.
        guard lifetime > 0 else { return nil }
        let margin = min(maxMargin, lifetime * lifetimeFraction)
        let absolute = expiresAt.addingTimeInterval(-margin)
        if absolute > obtainedAt { return absolute }
        // Due on arrival: our clock is ahead of the server's (or the token is very short). Count the
        // token's own lifetime from now instead, or every probe would log in again.
        return obtainedAt.addingTimeInterval(max(0, lifetime - margin))
    }
}
