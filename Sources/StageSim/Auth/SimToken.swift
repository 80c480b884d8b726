import Foundation

/// The simulator's JWTs: real `header.payload.signature` structure (base64url), so probes exercise the
/// same token plumbing as on staging, but signed with a deterministic keyed hash instead of HMAC — the
/// simulator has no crypto dependency and guards nothing. Validation checks structure, signature,
/// issuer and expiry, which is enough to tell "no token", "garbage", "tampered" and "expired" apart.
public enum SimToken {
    public static let issuer = "stagetop-sim"
    /// The user the staging reports' E2E runs logged in as.
    public static let defaultSubject = "staging-e2e-user-003"

    public struct Claims: Codable, Sendable, Equatable {
        public var sub: String
        public var iss: String
        public var iat: Int
        public var exp: Int

        public init(sub: String, iss: String = SimToken.issuer, iat: Int, exp: Int) {
            self.sub = sub
            self.iss = iss
            self.iat = iat
            self.exp = exp
        }
    }

    public enum Rejection: Error, Equatable, CustomStringConvertible {
        case malformed
        case badSignature
        case wrongIssuer(String)
        case expired

        public var description: String {
            switch self {
            case .malformed: return "Invalid token"
            case .badSignature: return "Invalid token signature"
            case .wrongIssuer(let issuer): return "Invalid token issuer '\(issuer)'"
            case .expired: return "Token has expired"
            }
        }
    }

    private static let header = #"{"alg":"HS256","typ":"JWT"}"#
    private static let signingKey = "stagetop-sim-signing-key"

    /// A token for `subject`, valid from `now` for `lifetimeSeconds`.
    public static func issue(
        subject: String = defaultSubject,
        lifetimeSeconds: Int = 900,
        now: Date = Date()
    ) -> String {
        let iat = Int(now.timeIntervalSince1970)
        return sign(Claims(sub: subject, iat: iat, exp: iat + lifetimeSeconds))
    }

    /// Signs arbitrary claims (tests use it to forge an expired token or a foreign issuer).
    public static func sign(_ claims: Claims) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding four plain fields cannot fail.
        let payload = (try? encoder.encode(claims)) ?? Data()
        let signingInput = base64URL(Data(header.utf8)) + "." + base64URL(payload)
        return signingInput + "." + signature(of: signingInput)
    }

    public static func validate(_ token: String, now: Date = Date()) -> Result<Claims, Rejection> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let payload = decodeBase64URL(String(parts[1])),
            let claims = try? JSONDecoder().decode(Claims.self, from: payload)
        else { return .failure(.malformed) }
        guard signature(of: parts[0] + "." + parts[1]) == parts[2] else { return .failure(.badSignature) }
        guard claims.iss == issuer else { return .failure(.wrongIssuer(claims.iss)) }
        guard Double(claims.exp) > now.timeIntervalSince1970 else { return .failure(.expired) }
        return .success(claims)
    }

    /// Two FNV-1a 64-bit hashes of key + input (different seeds), hex, base64url'd: deterministic and
    /// changes with any byte of the header or payload.
    private static func signature(of signingInput: some StringProtocol) -> String {
        func fnv1a(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in (signingKey + "." + signingInput).utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            return hash
        }
        let hex = String(fnv1a(0xcbf2_9ce4_8422_2325), radix: 16) + String(fnv1a(0x8422_2325_cbf2_9ce4), radix: 16)
        return base64URL(Data(hex.utf8))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
