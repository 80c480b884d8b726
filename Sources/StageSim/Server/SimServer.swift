import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The simulated staging: a Hummingbird server on loopback that answers the HTTP surface, the event
/// streams and the `/ws` WebSocket the staging reports describe, with faults from a named scenario
/// plus run-time overrides.
///
/// ```swift
/// let sim = try await SimServer.start(scenario: Scenarios.defaultDemo)   // port 0: a free port
/// // … point probes at sim.baseURL, authenticate with sim.devToken …
/// await sim.stop()
/// ```
/// For `stagetop sim`: `start(port:scenario:)`, then `await waitUntilStopped()`; call `stop()` from
/// the signal handler's side to end it.
public final class SimServer: Sendable {
    public static let defaultBypassKey = "sim-bypass-key"
    public static let defaultHost = "127.0.0.1"

    /// The port actually bound (never 0).
    public let port: Int
    /// The loopback address bound, "127.0.0.1" unless `start(host:)` chose another 127.x address.
    public let host: String
    /// A sim-issued JWT for `staging-e2e-user-003`, valid for 30 days, for `--sim` runs.
    public let devToken: String

    let core: SimCore
    private let runTask: Task<Void, Never>

    public var baseURL: String { "http://\(host):\(port)" }
    /// The simulated WebSocket (JWT in the `jwt.<base64url(token)>` subprotocol, a bearer header or
    /// `?token=`).
    public var wsURL: String { "ws://\(host):\(port)\(WebSocketEndpoint.path)" }
    /// The `X-E2E-Bypass-Key` that `/auth/e2e/token` accepts.
    public var bypassKey: String { core.bypassKey }
    /// The current scenario's name.
    public var scenario: String { core.state.withLock { $0.scenario.name } }
    /// The faults in force: the scenario's, with run-time overrides laid on top.
    public var activeFaults: [String: RouteFault] { core.state.withLock { $0.activeFaults } }
    /// The WebSocket faults in force for new connections: the override if set, else the scenario's.
    public var wsFaults: WSFaults { core.state.withLock { $0.wsFaults } }
    /// The stream modes in force (route → mode); routes not listed stream `.ok`.
    public var streamModes: [String: StreamMode] { core.state.withLock { $0.activeStreamModes } }
    /// Lifetime of tokens that `/auth/e2e/token` issues (900 s unless changed).
    public var tokenLifetimeSeconds: Int { core.state.withLock { $0.tokenLifetimeSeconds } }

    private init(port: Int, host: String, core: SimCore, runTask: Task<Void, Never>) {
        self.port = port
        self.host = host
        self.core = core
        self.runTask = runTask
        self.devToken = SimToken.issue(lifetimeSeconds: 30 * 24 * 3600)
    }

    deinit {
        // A simulator dropped without `stop()` must not keep its port.
        runTask.cancel()
    }

    /// Starts listening and returns once the server is accepting connections.
    /// - Parameters:
    ///   - port: 0 picks a free port (read back from `port`).
    ///   - scenario: a name from `Scenarios.all`; unknown names throw `SimError.unknownScenario`.
    ///   - host: a 127.0.0.0/8 address; anything else throws `SimError.nonLoopbackHost`.
    ///   - bypassKey: the `X-E2E-Bypass-Key` the token route accepts.
    public static func start(
        port: Int = 0,
        scenario: String = "healthy",
        host: String = defaultHost,
        bypassKey: String = defaultBypassKey
    ) async throws -> SimServer {
        guard Loopback.isLoopback(host) else { throw SimError.nonLoopbackHost(host) }
        guard (0...65535).contains(port) else { throw SimError.invalidPort(port) }
        guard let initial = Scenarios.named(scenario) else {
            throw SimError.unknownScenario(scenario, known: Scenarios.names)
        }

        let core = SimCore(scenario: initial, bypassKey: bypassKey)
        let startup = StartupSignal()
        let webSocket = WebSocketEndpoint(core: core)
        var app = Application(
            responder: SimResponder(core: core),
            server: .http1WebSocketUpgrade(configuration: WebSocketEndpoint.configuration) { request, channel, _ in
                await webSocket.shouldUpgrade(request, channel: channel)
            },
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "stagetop-sim"),
            onServerRunning: { channel in
                startup.listening(port: channel.localAddress?.port ?? port)
            }
        )
        // The library never prints; Hummingbird's default logger would announce itself on stdout.
        app.logger.logLevel = .critical

        let runTask = Task {
            do {
                try await app.run()
                startup.failed(SimError.stoppedBeforeListening("server exited"))
            } catch {
                startup.failed(error)
            }
        }
        let boundPort: Int
        do {
            boundPort = try await startup.wait()
        } catch {
            runTask.cancel()
            await runTask.value
            throw error
        }
        return SimServer(port: boundPort, host: host, core: core, runTask: runTask)
    }

    /// Switches scenario and clears run-time overrides.
    public func setScenario(_ name: String) throws {
        try core.setScenario(name)
    }

    /// Overrides one route's fault (the path, e.g. "/api/health"); nil removes the override, and the
    /// scenario's fault (if any) applies again. `RouteFault()` makes the route behave.
    public func setFault(_ fault: RouteFault?, for route: String) {
        core.setFault(fault, for: route)
    }

    /// Removes every run-time override: route faults, WebSocket faults and stream modes.
    public func clearFaults() {
        core.clearOverrides()
    }

    /// Replaces the scenario's WebSocket faults for new connections (open ones keep theirs);
    /// `WSFaults()` makes `/ws` healthy, nil goes back to the scenario's.
    public func setWSFaults(_ faults: WSFaults?) {
        core.setWSFaults(faults)
    }

    /// Sets how one stream route (e.g. "/api/chat/stream") streams, for requests from now on;
    /// nil goes back to the scenario's mode.
    public func setStreamMode(_ mode: StreamMode?, for route: String) {
        core.setStreamMode(mode, for: route)
    }

    /// Rate limit on `/api/health` (every scenario: capacity 20, refilled 5 per second). Starts a
    /// fresh, full bucket, so this also resets a spent one.
    public func setRateLimit(capacity: Int, refillPerSecond: Double) {
        core.setRateLimit(TokenBucket(capacity: max(0, capacity), refillPerSecond: max(0, refillPerSecond)))
    }

    /// Turns the `/api/health` rate limit off (for load tests); `setRateLimit` turns it back on.
    public func disableRateLimit() {
        core.setRateLimit(nil)
    }

    /// Lifetime of the tokens `/auth/e2e/token` issues from now on (the JWT's `exp` and the
    /// response's `expires_in`). Expiry is checked in whole seconds, so a 3 s token lasts 2 to 3 s.
    public func setTokenLifetime(seconds: Int) {
        core.setTokenLifetime(seconds: max(1, seconds))
    }

    /// Stops promptly, also with long simulated delays, endless event streams and open WebSockets:
    /// delays are interrupted and answer 503, streams are cut off, WebSockets are closed 1001; the
    /// server waits briefly (at most 250 ms) for that to go out, then closes everything.
    /// Safe to call more than once.
    public func stop() async {
        core.beginStopping()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.core.drained.wait() }
            group.addTask { try? await Task.sleep(for: .milliseconds(250)) }
            await group.next()
            group.cancelAll()
        }
        // Cancellation rather than ServiceGroup's graceful shutdown: that would need a dependency on
        // ServiceLifecycle, and with delays already interrupted there is nothing left to be graceful to.
        runTask.cancel()
        await runTask.value
    }

    /// Returns when the server has stopped (after `stop()`, or if it failed).
    public func waitUntilStopped() async {
        await runTask.value
    }
}
