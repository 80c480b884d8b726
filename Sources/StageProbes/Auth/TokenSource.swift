import Foundation
import StageModel

/// What a probe that needs the token learns when it asks for one.
public enum TokenAnswer: Sendable {
    case token(Secret)
    /// No token configured at all (neither `auth.token` nor `auth.login`).
    case none
    /// The login step failed; the message is the banner's ("401 Invalid E2E bypass key"), never the token.
    case loginFailed(String)
}

/// Where bearer tokens come from: a static `auth.token`, or a `TokenProvider` that logs in.
/// Every runner of one session shares one source, so one login serves every probe.
public protocol TokenSource: Sendable {
    func answer() async -> TokenAnswer
    /// The answer without waiting, when the source knows it for sure (a static token); nil: ask `answer()`.
    var answerNow: TokenAnswer? { get }
}

extension TokenSource {
    public var answerNow: TokenAnswer? { nil }

    /// The token alone, for runners that take a `token:` closure (HTTPProbeRunner, WebSocketProbeRunner).
    public func token() async -> Secret? {
        if case .token(let s) = await answer() { return s }
        return nil
    }

    /// `{ await source.token() }`, ready to pass as a runner's `token:` closure.
    public var tokenClosure: @Sendable () async -> Secret? {
        { await self.token() }
    }
}

/// `auth.token` as written (expanded from the environment), or nothing.
public struct StaticTokenSource: TokenSource {
    let secret: Secret?
    public init(_ secret: Secret?) { self.secret = secret }
    public func answer() async -> TokenAnswer { secret.map(TokenAnswer.token) ?? .none }
    public var answerNow: TokenAnswer? { secret.map(TokenAnswer.token) ?? TokenAnswer.none }
}

/// Adapts a runner's `token:` closure (which cannot tell "no token" from "login failed").
struct ClosureTokenSource: TokenSource {
    let token: @Sendable () async -> Secret?
    func answer() async -> TokenAnswer { await token().map(TokenAnswer.token) ?? .none }
}

/// The one way every runner turns a token answer into an `Authorization` header or a refusal to run.
enum TokenRequirement {
    /// The headers an HTTP, stream or burst request goes out with: the target's, the probe's, and for
    /// `auth: bearer` the token (asked once; a burst's requests all carry the same one).
    static func headers(_ headers: HeaderList, auth: HTTPAuthMode, _ source: any TokenSource) async
        -> Result<HeaderList, TokenRefusal>
    {
        guard auth == .bearer else { return .success(headers) }
        return bearerHeader(await source.answer()).map { headers + [$0] }
    }

    /// The same, without waiting; nil when the source has to be asked (a login in progress or renewing).
    static func headersNow(_ headers: HeaderList, auth: HTTPAuthMode, _ source: any TokenSource) -> Result<HeaderList, TokenRefusal>? {
        guard auth == .bearer else { return .success(headers) }
        return source.answerNow.map { bearerHeader($0).map { headers + [$0] } }
    }

    /// The header to send, or the `error`/`auth` message the run ends with. A failed login is never
    /// papered over: the probe says so rather than run without its token.
    private static func bearerHeader(_ answer: TokenAnswer) -> Result<(name: String, value: String), TokenRefusal> {
        switch answer {
        case .token(let s): return .success((name: "Authorization", value: "Bearer \(s.value)"))
        case .none: return .failure(TokenRefusal(message: "auth: bearer but no token (set auth.token or auth.login)"))
        case .loginFailed(let why): return .failure(TokenRefusal(message: "login failed: \(why)"))
        }
    }
}

/// Why a probe that needs the token did not run: verdict `error`, class `auth`.
struct TokenRefusal: Error, Sendable {
    let message: String

    func result(_ spec: ProbeSpec, startedAt: Date, clock: any WallClock) -> ProbeResult {
        ProbeResult(probe: spec.name, kind: spec.kind, verdict: .error, failureClass: .auth, message: message,
                    startedAt: startedAt, finishedAt: clock.now())
    }
}
