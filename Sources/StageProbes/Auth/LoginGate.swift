import Foundation
import StageModel

/// Puts the login step's failure in front of a runner that only takes a `token:` closure (the WebSocket
/// runner cannot tell "no token" from "login failed"): a probe that needs the token and finds the login
/// failed ends `error`/`auth` "login failed: 401 Invalid E2E bypass key" without connecting, exactly as
/// the HTTP, stream and burst runners report it.
enum LoginGate {
    static func refusal(_ spec: ProbeSpec, tokens: any TokenSource, clock: any WallClock) async -> ProbeResult? {
        guard spec.usesToken, case .loginFailed(let why) = await tokens.answer() else { return nil }
        let now = clock.now()
        return TokenRefusal(message: "login failed: \(why)").result(spec, startedAt: now, clock: clock)
    }
}
