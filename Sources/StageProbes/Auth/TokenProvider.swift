import Foundation
import StageModel

/// The login step (`auth.login`, the reports' E2E bypass flow) as a token source shared by every runner.
///
/// - `prepare()` logs in before the probes run; `answer()` logs in lazily if nobody did.
/// - The JWT's `exp` (read without verifying) or the response's `expires_in` says when to log in again
///   (`TokenRenewal`): `startRenewing()` does that in the background, and `answer()` renews a token past
///   its renewal point on its own, so a held-open WebSocket reconnecting gets a fresh one.
/// - Concurrent askers share one login in flight.
/// - A failed login is reported (`.login(.failed)`, "401 Invalid E2E bypass key") and every probe that
///   needs the token ends `error`/`auth` "login failed: …"; nothing falls back to running without it.
///   It is tried again at most every `retryAfter` seconds.
/// - The token is never in a `LoginState`, an event, a message or a log line.
public actor TokenProvider: TokenSource {
    private let request: LoginRequest
    private let engine: CurlEngine
    private let clock: any WallClock
    private let sleeper: any ProbeSleeper
    private let retryAfter: Double
    private let events: (@Sendable (ProbeEvent) -> Void)?

    private enum Phase {
        case idle
        case ok(Secret, expiresAt: Date?, renewAt: Date?)
        case failed(String)
    }

    private var phase = Phase.idle
    private var lastAttempt: Date?
    private var inFlight: Task<Void, Never>?
    private var renewer: Task<Void, Never>?
    /// After `stop()` nothing more is published: a session shutting down must not end on a stray state.
    private var stopped = false
    public private(set) var state: LoginState?
    /// Completed login requests (tests and the detail view).
    public private(set) var logins = 0

    /// Logins never come closer together than this, whatever a token's claims say (a server whose tokens
    /// arrive already expired must not be hammered by every probe). Short, because a 2-second token (the
    /// sim's shortest) may have barely a second left when it arrives.
    static let minRenewalSpacing: Double = 0.25

    /// - Parameters:
    ///   - timeout: the login request's limit (the config's `defaults.timeout` is a good value).
    ///   - retryAfter: after a failed login, how long probes keep getting the failure before a new attempt.
    ///   - events: where `.login` states go (the store's apply; scrubbed like every event).
    public init(login: LoginConfig, target: TargetConfig, engine: CurlEngine, clock: any WallClock = SystemClock(),
                timeout: Double = 10, retryAfter: Double = 30, sleeper: any ProbeSleeper = TaskSleeper(),
                events: (@Sendable (ProbeEvent) -> Void)? = nil) {
        request = LoginRequest(login: login, target: target, timeout: timeout)
        self.engine = engine; self.clock = clock; self.retryAfter = retryAfter; self.sleeper = sleeper; self.events = events
    }

    // MARK: - TokenSource

    public func answer() async -> TokenAnswer {
        let now = clock.now()
        switch phase {
        case .ok(let token, let expiresAt, let renewAt):
            guard let renewAt, now >= renewAt, !recentlyAttempted(now, within: Self.minRenewalSpacing) else {
                return .token(token)
            }
            if let expiresAt, now < expiresAt {
                // Still valid: this probe goes ahead with it while the renewal runs.
                startLogin()
                return .token(token)
            }
            await login()
        case .failed(let why):
            if recentlyAttempted(now, within: retryAfter) { return .loginFailed(why) }
            await login()
        case .idle:
            await login()
        }
        switch phase {
        case .ok(let token, _, _): return .token(token)
        case .failed(let why): return .loginFailed(why)
        case .idle: return .loginFailed("login did not run")
        }
    }

    // MARK: - Lifecycle

    /// Logs in now (before the first probes run) and returns the state the banner shows.
    @discardableResult
    public func prepare() async -> LoginState? {
        await login()
        return state
    }

    /// Logs in again shortly before each token expires, until `stop()`. After a failure it retries every
    /// `retryAfter` seconds. Calling it twice is harmless.
    public func startRenewing() {
        guard renewer == nil else { return }
        let sleeper = self.sleeper
        renewer = Task { [weak self] in
            while !Task.isCancelled {
                guard let wait = await self?.secondsUntilRenewal() else { return }
                do { try await sleeper.sleep(seconds: wait) } catch { return }
                guard !Task.isCancelled else { return }
                await self?.login()
            }
        }
    }

    /// Stops renewing and publishing; a login in flight finishes on its own, silently.
    public func stop() {
        stopped = true
        renewer?.cancel()
        renewer = nil
    }

    // MARK: - Internals

    private func recentlyAttempted(_ now: Date, within seconds: Double) -> Bool {
        guard let last = lastAttempt else { return false }
        return now.timeIntervalSince(last) < seconds
    }

    /// How long the renewal loop sleeps: until the renewal point, or `retryAfter` after a failure.
    private func secondsUntilRenewal() -> Double? {
        let now = clock.now()
        switch phase {
        case .ok(_, _, let renewAt?): return max(Self.minRenewalSpacing, renewAt.timeIntervalSince(now))
        case .ok(_, _, nil): return nil  // no expiry known: nothing to renew
        case .failed, .idle:
            let since = lastAttempt.map { now.timeIntervalSince($0) } ?? retryAfter
            return max(0, retryAfter - since)
        }
    }

    /// Joins the login in flight, or starts one and waits for it.
    private func login() async {
        startLogin()
        await inFlight?.value
    }

    private func startLogin() {
        guard inFlight == nil else { return }
        if case .idle = phase, state == nil { publish(LoginState(phase: .pending, at: clock.now())) }
        lastAttempt = clock.now()
        let request = self.request, engine = self.engine, clock = self.clock
        inFlight = Task {
            let outcome = await request.run(on: engine, now: { clock.now() })
            self.finish(outcome)
        }
    }

    private func finish(_ outcome: LoginRequest.Outcome) {
        inFlight = nil
        if case .cancelled = outcome {} else { logins += 1 }
        let now = clock.now()
        switch outcome {
        case .ok(let token, let claims):
            let renewAt = TokenRenewal.refreshAt(expiresAt: claims.expiresAt, issuedAt: claims.issuedAt, obtainedAt: now)
            phase = .ok(token, expiresAt: claims.expiresAt, renewAt: renewAt)
            publish(LoginState(phase: .ok, at: now, expiresAt: claims.expiresAt))
        case .failed(let status, let message):
            phase = .failed(message)
            publish(LoginState(phase: .failed, message: message, status: status, at: now))
        case .cancelled:
            // Shutting down: keep whatever was known; a cut-off request is not a refused login.
            break
        }
    }

    private func publish(_ s: LoginState) {
        guard !stopped else { return }
        state = s
        events?(.login(s))
    }
}
