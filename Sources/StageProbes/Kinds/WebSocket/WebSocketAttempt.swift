import Foundation
import NIOCore
import StageModel

/// Everything one WebSocket probe needs to connect, shared by one-shot runs, concurrency runs and holders.
struct WebSocketProbeContext: Sendable {
    var spec: ProbeSpec
    var ws: WebSocketProbeSpec
    var target: TargetConfig
    var engine: WebSocketEngine
    var token: @Sendable () async -> Secret?
    var clock: any WallClock

    var displayURL: String { WebSocketURL.resolve(path: ws.path, target: target) }

    /// A request ready to send, and what results need to describe it without the token.
    struct Prepared: Sendable {
        var request: WebSocketConnectRequest
        var displayURL: String
        var offeredSubprotocol: String?
        var redact: TokenRedactor
    }

    /// Why a probe could not even try: no token for an authenticated probe, a URL that is not ws(s)://.
    struct SetupProblem: Error, Sendable {
        var failureClass: FailureClass
        var message: String
    }

    /// Builds the upgrade request. The token is asked for on every attempt, so a refreshed login token is
    /// used by the next reconnect.
    func prepare() async -> Result<Prepared, SetupProblem> {
        let text = displayURL
        guard var url = WebSocketURL.parse(text) else {
            return .failure(SetupProblem(failureClass: .config, message: "not a ws:// or wss:// URL: \(text)"))
        }
        let display = url.display
        var headers = target.headers
        // Names the probe in staging's access logs, and lets the sim tell one probe's concurrent sockets
        // from several probes connecting at once.
        HeaderFields.addDefault("X-Stagetop-Probe", spec.name, to: &headers)
        var subprotocols: [String] = []
        var secret: Secret?
        if ws.auth != .none {
            guard let t = await token() else {
                return .failure(SetupProblem(failureClass: .auth,
                                             message: "auth: \(ws.auth.rawValue) but no token (set auth.token or auth.login)"))
            }
            secret = t
        }
        switch (ws.auth, secret) {
        case (.subprotocol, let t?): subprotocols.append(WebSocketAuth.subprotocol(for: t))
        case (.bearer, let t?): headers.append((name: "Authorization", value: "Bearer \(t.value)"))
        case (.query, let t?): url = url.adding(query: "token", value: t.value)
        default: break
        }
        let request = WebSocketConnectRequest(url: url, headers: headers, subprotocols: subprotocols, tls: spec.tls(target),
                                              timeout: spec.timeout.seconds)
        return .success(Prepared(request: request, displayURL: display, offeredSubprotocol: subprotocols.first,
                                 redact: TokenRedactor(secret)))
    }

    var stepRunner: WebSocketStepRunner {
        WebSocketStepRunner(steps: ws.steps, defaultWithin: spec.timeout.seconds, limits: engine.limits)
    }

    /// The longest a one-shot run may take: the handshake, every step's deadline, and a second to close.
    var hardLimitSeconds: Double {
        spec.timeout.seconds + ws.steps.reduce(0) { sum, step in
            if case .expect(_, let within) = step { return sum + (within?.seconds ?? spec.timeout.seconds) }
            return sum
        } + 1
    }
}

/// One connection attempt and what it saw, before judging.
struct WebSocketAttempt: Sendable {
    var startedAt: Date
    var finishedAt: Date
    var displayURL: String
    var setup: WebSocketProbeContext.SetupProblem?
    var connectFailure: WebSocketConnectFailure?
    var handshake: WebSocketHandshakeInfo?
    /// The negotiated subprotocol as shown (the token protocol reads `jwt.<redacted>`).
    var subprotocol: String?
    var subprotocolProblem: String?
    var steps: WebSocketStepOutcome?
    /// When the server (or we, on a violation) closed during the steps.
    var closedAt: Date?
    var redact: TokenRedactor

    var connected: Bool { handshake != nil }
}

extension WebSocketProbeContext {
    /// The subprotocol check NIO does not do: the server must echo exactly what we offered, or nothing if
    /// we offered nothing (RFC 6455 §4.1: the client fails the connection otherwise).
    static func subprotocolProblem(offered: String?, echoed: String?) -> String? {
        switch (offered, echoed) {
        case (let o?, nil): return "server did not echo the offered subprotocol \(o.hasPrefix("jwt.") ? WebSocketAuth.redactedSubprotocol : o)"
        case (let o?, let e?) where e != o:
            return "server chose subprotocol '\(e)', offered \(o.hasPrefix("jwt.") ? WebSocketAuth.redactedSubprotocol : o)"
        case (nil, let e?): return "server chose subprotocol '\(e)' though none was offered"
        default: return nil
        }
    }

    static func shownSubprotocol(offered: String?, echoed: String?) -> String? {
        guard let echoed else { return nil }
        return echoed == offered && echoed.hasPrefix("jwt.") ? WebSocketAuth.redactedSubprotocol : echoed
    }

    /// Connects, checks the subprotocol and runs the steps. `keep` gets the open session after the steps
    /// passed (held-open probes: it detaches the session to keep it); without it the connection is closed politely.
    func attempt(keep: ((WebSocketSession, WebSocketAttempt) async -> Void)? = nil) async -> WebSocketAttempt {
        let startedAt = clock.now()
        var a = WebSocketAttempt(startedAt: startedAt, finishedAt: startedAt, displayURL: displayURL, redact: TokenRedactor(nil))
        let prepared: Prepared
        switch await prepare() {
        case .failure(let p):
            a.setup = p
            a.finishedAt = clock.now()
            return a
        case .success(let p):
            prepared = p
        }
        a.displayURL = prepared.displayURL
        a.redact = prepared.redact

        let connection: WebSocketConnection
        switch await engine.connect(prepared.request) {
        case .failure(let f):
            a.connectFailure = f
            a.finishedAt = clock.now()
            return a
        case .success(let c):
            connection = c
        }
        a.handshake = connection.handshake
        let echoed = connection.handshake.subprotocol
        a.subprotocol = Self.shownSubprotocol(offered: prepared.offeredSubprotocol, echoed: echoed)
        if let problem = Self.subprotocolProblem(offered: prepared.offeredSubprotocol, echoed: echoed) {
            a.subprotocolProblem = problem
            _ = await connection.run { session in await session.close(code: 1002, reason: "subprotocol mismatch") }
            a.finishedAt = clock.now()
            return a
        }

        let runner = stepRunner
        let clock = self.clock
        let timeout = spec.timeout.seconds
        // Bounds the steps; a held connection detaches (and leaves `run`) as soon as they pass.
        let hard = NIODeadline.now() + .nanoseconds(Int64(hardLimitSeconds * 1e9))
        return await connection.run(hardDeadline: hard) { session in
            var a = a
            let outcome = await runner.run(session)
            a.steps = outcome
            a.finishedAt = clock.now()
            if outcome.failure?.closeCode != nil { a.closedAt = a.finishedAt }
            if outcome.failure == nil {
                if let keep {
                    await keep(session, a)
                } else {
                    // The verdict is known; the polite close may not take the run past its timeout.
                    let left = timeout - clock.now().timeIntervalSince(a.startedAt)
                    await session.close(wait: min(0.25, max(0.02, left)))
                }
            }
            return a
        }
    }
}
