import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

/// The login step against the sim's `/auth/e2e/token` (report 001's E2E bypass flow).
@Suite("TokenProvider and ProbeRuntime: login, renewal, failure never silent, token never shown")
struct LoginProviderTests {
    static func login(key: String) -> LoginConfig {
        LoginConfig(method: "POST", path: "/auth/e2e/token", headers: [("X-E2E-Bypass-Key", key)],
                    body: #"{"user":"staging-e2e-user-003"}"#, tokenPath: "access_token")
    }

    @Test("right key: ok with exp decoded, and the token opens a bearer route")
    func rightKey() async throws {
        try await withSim { sim, engine in
            let log = EventLog()
            let target = TargetConfig(baseURL: sim.baseURL)
            let provider = TokenProvider(login: Self.login(key: sim.bypassKey), target: target, engine: engine, events: log.sink)
            let before = Date()
            let state = try #require(await provider.prepare())
            #expect(state.phase == .ok && state.message.isEmpty)
            let expires = try #require(state.expiresAt)
            #expect(expires.timeIntervalSince(before) > 890 && expires.timeIntervalSince(before) <= 901)
            #expect(log.logins.map(\.phase) == [.pending, .ok])

            let http = HTTPProbeRunner(engine: engine, target: target, tokens: provider)
            let r = await http.run(httpProbe(path: "/api/user/profile", auth: .bearer, conditions: ["[STATUS] == 200"]))
            #expect(r.verdict == .pass, "\(r.message)")
            // The closure form the WebSocket runner takes hands out the same token.
            let viaClosure = await provider.tokenClosure()
            #expect(viaClosure?.value == (await provider.token())?.value)
            #expect(await provider.logins == 1, "one login serves every probe")
        }
    }

    @Test("wrong key: the banner's message, and every probe that needs the token errors as auth; the rest run")
    func wrongKey() async throws {
        try await withSim { sim, engine in
            let log = EventLog()
            let target = TargetConfig(baseURL: sim.baseURL)
            let provider = TokenProvider(login: Self.login(key: "not-the-key"), target: target, engine: engine, events: log.sink)
            let state = try #require(await provider.prepare())
            #expect(state.phase == .failed && state.status == 401)
            #expect(state.message == "401 Invalid E2E bypass key")
            #expect(log.logins.last == state)

            let expected = "login failed: 401 Invalid E2E bypass key"
            let results = [
                await HTTPProbeRunner(engine: engine, target: target, tokens: provider)
                    .run(httpProbe(path: "/api/user/profile", auth: .bearer)),
                await StreamProbeRunner(engine: engine, target: target, tokens: provider)
                    .run(streamProbe(path: "/api/chat/stream", method: "POST", firstByte: 0.5)),
                await BurstProbeRunner(engine: engine, target: target, tokens: provider)
                    .run(ProbeSpec(name: "b", body: .burst(BurstProbeSpec(path: "/api/threads", auth: .bearer, requests: 3, within: .s(0))))),
            ]
            for r in results {
                #expect(r.verdict == .error && r.failureClass == .auth, "\(r.kind)")
                #expect(r.message == expected, "\(r.kind)")
            }
            // A probe that does not need the token is not held hostage by the login.
            let health = await HTTPProbeRunner(engine: engine, target: target, tokens: provider).run(httpProbe(path: "/health"))
            #expect(health.verdict == .pass)
            #expect(await provider.logins == 1, "probes do not each retry the login within retryAfter")
        }
    }

    @Test("ProbeRuntime.make: one login for HTTP, stream, burst and WebSocket; a failed one gates them all")
    func runtimeWiring() async throws {
        // Report 001: the token route answers 401 {"detail":"Invalid E2E bypass key"} whatever the key.
        try await withSim("ws-1008-bad-bypass") { sim, engine in
            let log = EventLog()
            let ws = WebSocketEngine()
            let config = StageConfig(
                name: "t", target: TargetConfig(baseURL: sim.baseURL), auth: AuthConfig(login: Self.login(key: sim.bypassKey)),
                probes: [
                    httpProbe("profile", path: "/api/user/profile", auth: .bearer),
                    httpProbe("health", path: "/health"),
                    streamProbe("chat_stream", path: "/api/chat/stream", method: "POST", firstByte: 0.5),
                    ProbeSpec(name: "ws", body: .websocket(WebSocketProbeSpec(path: "/ws", auth: .subprotocol))),
                ])
            let runtime = ProbeRuntime.make(config: config, engine: engine, webSockets: ws, events: log.sink)
            let state = await runtime.start()
            #expect(state?.phase == .failed)
            let scheduler = ProbeScheduler(probes: config.probes, runner: runtime.runners, seed: 1, sink: log.sink)
            let results = await scheduler.runOnce()
            #expect(results.map(\.verdict) == [.error, .pass, .error, .error])
            #expect(results.map(\.failureClass) == [.auth, nil, .auth, .auth])
            #expect(results.filter { $0.verdict == .error }.allSatisfy { $0.message == "login failed: 401 Invalid E2E bypass key" })
            await runtime.tokenProvider?.stop()
            await ws.shutdown()
        }
    }

    @Test("renews before expiry: with 2-second tokens a second login lands before the first token expires")
    func renewsBeforeExpiry() async throws {
        try await withSim { sim, engine in
            sim.setTokenLifetime(seconds: 2)
            let log = EventLog()
            let target = TargetConfig(baseURL: sim.baseURL)
            let provider = TokenProvider(login: Self.login(key: sim.bypassKey), target: target, engine: engine, events: log.sink)
            let first = try #require(await provider.prepare())
            let firstExpiry = try #require(first.expiresAt)
            await provider.startRenewing()
            let renewed = await eventually(within: 4) { log.logins.filter { $0.phase == .ok }.count >= 2 }
            await provider.stop()
            #expect(renewed)
            let oks = log.logins.filter { $0.phase == .ok }
            #expect(oks.count >= 2)
            if oks.count >= 2 {
                #expect(oks[1].at < firstExpiry, "renewed at \(oks[1].at), first token expired at \(firstExpiry)")
                #expect((oks[1].expiresAt ?? .distantPast) > firstExpiry)
            }
            // And the renewed token is the one in use.
            let r = await HTTPProbeRunner(engine: engine, target: target, tokens: provider)
                .run(httpProbe(path: "/api/user/profile", auth: .bearer))
            #expect(r.verdict == .pass, "\(r.message)")
        }
    }

    @Test("an expired token is not handed out: answer() logs in again on its own")
    func lazyRenewal() async throws {
        try await withSim { sim, engine in
            sim.setTokenLifetime(seconds: 1)
            let clock = ManualClock(Date())
            let provider = TokenProvider(login: Self.login(key: sim.bypassKey), target: TargetConfig(baseURL: sim.baseURL),
                                         engine: engine, clock: clock)
            _ = await provider.prepare()
            clock.advance(by: 5)  // past expiry on the provider's clock; no sleeping
            _ = await provider.token()
            #expect(await provider.logins == 2)
        }
    }

    @Test("a login cut off by shutdown is not a failed login; nothing is published after stop()")
    func shutdownIsNotFailure() async throws {
        try await withSim { sim, engine in
            let log = EventLog()
            let login = Self.login(key: sim.bypassKey)
            let target = TargetConfig(baseURL: sim.baseURL)
            let stoppedEngine = CurlEngine()
            stoppedEngine.shutdown()
            let cut = TokenProvider(login: login, target: target, engine: stoppedEngine, events: log.sink)
            _ = await cut.prepare()
            #expect(await cut.state?.phase != .failed)
            #expect(!log.logins.contains { $0.phase == .failed })
            #expect(await cut.logins == 0)

            let quiet = TokenProvider(login: login, target: target, engine: engine, events: log.sink)
            await quiet.stop()
            let before = log.all.count
            #expect(await quiet.token() != nil, "still answers after stop, silently")
            #expect(log.all.count == before)
        }
    }

    @Test("the token never appears in a result, message, event or LoginState")
    func tokenNeverShown() async throws {
        try await withSim { sim, engine in
            let log = EventLog()
            let config = StageConfig(
                name: "t", target: TargetConfig(baseURL: sim.baseURL), auth: AuthConfig(login: Self.login(key: sim.bypassKey)),
                probes: [
                    httpProbe("profile", path: "/api/user/profile", auth: .bearer, conditions: ["[BODY].user_id == nobody"]),
                    streamProbe("chat_stream", path: "/api/chat/stream", method: "POST", firstByte: 0.8, maxGap: 0.8, finish: 3),
                    ProbeSpec(name: "burst", body: .burst(BurstProbeSpec(path: "/api/threads", auth: .bearer, requests: 3, within: .s(0)))),
                ])
            let ws = WebSocketEngine()
            let runtime = ProbeRuntime.make(config: config, engine: engine, webSockets: ws, events: log.sink)
            await runtime.start()
            let token = try #require(await runtime.tokens.token()).value
            let results = await ProbeScheduler(probes: config.probes, runner: runtime.runners, seed: 1, sink: log.sink).runOnce()
            await runtime.tokenProvider?.stop()
            await ws.shutdown()
            #expect(results.count == 3)

            // A canary bearer token refused by the server must not come back in the result either.
            let canary = "canary-token-5d1e0b7f"
            let refused = await HTTPProbeRunner(engine: engine, target: config.target, token: Secret(canary))
                .run(httpProbe(path: "/api/user/profile", auth: .bearer))
            #expect(refused.failureClass == .auth)

            let texts = (log.all.map { String(reflecting: $0) } + results.map { String(reflecting: $0) }
                         + [String(reflecting: refused), String(reflecting: await runtime.tokenProvider?.state)])
            #expect(!texts.isEmpty)
            for t in texts {
                #expect(!t.contains(token))
                #expect(!t.contains(canary))
            }
            #expect(log.logins.contains { $0.phase == .ok })
        }
    }
}
