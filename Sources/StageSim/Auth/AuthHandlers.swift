import Foundation
import Hummingbird

/// `/auth/e2e/token` (the reports' E2E bypass login) and `/api/user/profile`.
enum AuthHandlers {
    static let bypassKeyHeader = HTTPFields.Element.Name("X-E2E-Bypass-Key")!  // HTTPField itself is not re-exported

    private struct TokenRequest: Decodable {
        var user: String?
        var email: String?
        var userId: String?
    }

    static func e2eToken(_ input: RouteInput, _ core: SimCore) -> Response {
        guard input.headers[bypassKeyHeader] == core.bypassKey else {
            return SimResponses.error(401, detail: "Invalid E2E bypass key")
        }
        let request = input.decode(TokenRequest.self)
        let subject = request?.user ?? request?.userId ?? request?.email ?? SimToken.defaultSubject
        // 15 minutes like staging's unless changed (`setTokenLifetime`): a few seconds lets a test
        // watch a client log in again before its token expires.
        let tokenLifetimeSeconds = core.state.withLock { $0.tokenLifetimeSeconds }
        let token = SimToken.issue(subject: subject, lifetimeSeconds: tokenLifetimeSeconds)
        return SimResponses.json(
            200,
            [
                "access_token": .string(token),
                "token_type": "bearer",
                "expires_in": .int(tokenLifetimeSeconds),
            ])
    }

    static func profile(_ input: RouteInput, _ core: SimCore) -> Response {
        let subject = input.claims?.sub ?? SimToken.defaultSubject
        return SimResponses.json(
            200,
            [
                "user_id": .string(subject),
                "email": .string("\(subject)@staging.example.com"),
                "name": "Staging E2E User",
                "plan": "enterprise",
                "created_at": .string(StagingData.seedTime),
            ])
    }
}
