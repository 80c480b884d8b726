import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

/// The login step's pure parts: reading `exp`, choosing when to renew, reading the response.
@Suite("Login: token claims, renewal time, response parsing")
struct LoginTokenTests {
    @Test("exp and iat are read from a JWT without verifying it; opaque tokens have none")
    func claims() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let jwt = SimToken.issue(lifetimeSeconds: 900, now: now)
        let c = try #require(TokenClaims(jwt: jwt))
        #expect(c.expiresAt == now.addingTimeInterval(900))
        #expect(c.issuedAt == now)
        #expect(TokenClaims(jwt: "opaque-token") == nil)
        #expect(TokenClaims(jwt: "a.b.c") == nil)
    }

    @Test("renewal: 30 s before a 15-minute token expires, at 80 % of a 2-second one")
    func renewal() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(TokenRenewal.refreshAt(expiresAt: t0 + 900, issuedAt: t0, obtainedAt: t0) == t0 + 870)
        #expect(TokenRenewal.refreshAt(expiresAt: t0 + 2, issuedAt: t0, obtainedAt: t0) == t0 + 1.6)
        #expect(TokenRenewal.refreshAt(expiresAt: nil, issuedAt: nil, obtainedAt: t0) == nil)
        #expect(TokenRenewal.refreshAt(expiresAt: t0, issuedAt: t0, obtainedAt: t0) == nil, "no lifetime: no schedule")
        // The sim truncates iat to the second: a 2-second token fetched 0.9 s into a second has 1.1 s left.
        #expect(TokenRenewal.refreshAt(expiresAt: t0 + 2, issuedAt: t0, obtainedAt: t0 + 0.9) == t0 + 1.6)
        // Our clock 20 minutes ahead of the server's: the token looks expired on arrival; renew on its
        // own lifetime from now rather than at once (and again, and again).
        let skewed = t0 + 1200
        #expect(TokenRenewal.refreshAt(expiresAt: t0 + 900, issuedAt: t0, obtainedAt: skewed) == skewed + 870)
    }

    @Test("a refusal reads status + the server's detail; a success finds the token at token_path")
    func outcome() throws {
        let refused = HTTPResponse(status: 401, body: Array(#"{"detail":"Invalid E2E bypass key"}"#.utf8))
        guard case .failed(let status, let message) = LoginRequest.outcome(refused, tokenPath: "access_token", obtainedAt: Date()) else {
            Issue.record("expected a failure"); return
        }
        #expect(status == 401)
        #expect(message == "401 Invalid E2E bypass key")

        let bare = HTTPResponse(status: 503)
        if case .failed(_, let m) = LoginRequest.outcome(bare, tokenPath: "access_token", obtainedAt: Date()) {
            #expect(m == "503 Service Unavailable")
        } else { Issue.record("expected a failure") }

        let canary = "canary-token-7f3a9c"
        let wrongPlace = HTTPResponse(status: 200, body: Array(#"{"token":"\#(canary)"}"#.utf8))
        if case .failed(_, let m) = LoginRequest.outcome(wrongPlace, tokenPath: "data.access_token", obtainedAt: Date()) {
            #expect(m == "200 OK but no token at 'data.access_token'")
            #expect(!m.contains(canary))
        } else { Issue.record("expected a failure") }

        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let nested = HTTPResponse(status: 200, body: Array(#"{"data":{"access_token":"\#(canary)"},"expires_in":60}"#.utf8))
        guard case .ok(let token, let claims) = LoginRequest.outcome(nested, tokenPath: "data.access_token", obtainedAt: t0) else {
            Issue.record("expected a token"); return
        }
        #expect(token.value == canary)
        #expect("\(token)" == "<redacted>")
        #expect(claims.expiresAt == t0 + 60, "an opaque token's expiry comes from expires_in")
    }
}
