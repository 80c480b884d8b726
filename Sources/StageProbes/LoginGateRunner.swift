import Foundation
import StageModel

/// Puts the login step's failure in front of a runner that only takes a `token:` closure (the WebSocket
/// runner cannot tell "no token" from "login failed"): a probe that needs the token and finds the login
/// failed ends `error`/`auth` "login failed: 401 Invalid E2E bypass key" without connecting, exactly as
/// the HTTP, stream and burst runners report it.
public struct LoginGateRunner: ProbeRunner {
    let inner: any ProbeRunner
    let tokens: any TokenSource
    let clock: any WallClock

    public init(_ inner: any ProbeRunner, tokens: any TokenSource, clock: any WallClock = SystemClock()) {
        self.inner = inner; self.tokens = tokens; self.clock = clock
    }

    public func run(_ spec: ProbeSpec) async -> ProbeResult {
        if Self.needsToken(spec.body), case .loginFailed(let why) = await tokens.answer() {
            let now = clock.now()
            return TokenRefusal(message: "login failed: \(why)").result(spec, startedAt: now, clock: clock)
        }
        return await inner.run(spec)
    }

    static func needsToken(_ body: ProbeBody) -> Bool {
        switch body {
        case .http(let h): h.auth == .bearer
        case .stream(let s): s.auth == .bearer
        case .burst(let b): b.auth == .bearer
        case .websocket(let w): w.auth != .none
        }
    }
}
