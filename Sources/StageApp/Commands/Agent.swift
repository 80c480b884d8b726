import Dispatch
import Foundation
import Logging
import StageAgent
import StageModel
import StageReports

/// `stagetop agent`: the probes headless until SIGTERM/SIGINT, served over HTTP for Prometheus,
/// `watch --attach` and scripts.
public struct AgentSettings: Sendable {
    public var target: TargetSettings
    public var listen: ListenAddress
    public var location: String?
    /// The name of the environment variable that holds the API's bearer token (never the token itself:
    /// argv is visible to every user of the machine).
    public var apiTokenEnv: String?
    public var readOnly: Bool
    public var logFormat: AgentLogFormat
    public var record: String?
    /// Idle event streams get a comment this often.
    public var heartbeat: Swift.Duration

    public init(target: TargetSettings, listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 9464), location: String? = nil,
                apiTokenEnv: String? = nil, readOnly: Bool = false, logFormat: AgentLogFormat = .logfmt, record: String? = nil,
                heartbeat: Swift.Duration = .seconds(15)) {
        self.target = target; self.listen = listen; self.location = location; self.apiTokenEnv = apiTokenEnv
        self.readOnly = readOnly; self.logFormat = logFormat; self.record = record; self.heartbeat = heartbeat
    }

    public static var version: String { App.version }
}

extension App {
    /// Runs the agent until SIGTERM or SIGINT; returns the exit status (0 after a clean stop).
    public static func agent(_ settings: AgentSettings, logSink: LineSink = .standardError) async -> Int32 {
        // Signals are caught before anything starts, so a SIGTERM during login is a clean stop too.
        let signals = SignalStream([SIGINT, SIGTERM, SIGHUP])
        MemoryReturn.configure()
        let trimmer = MemoryReturn.trimmer()
        defer { trimmer.cancel() }
        let running: RunningAgent
        switch await RunningAgent.start(settings, logSink: logSink) {
        case .success(let r): running = r
        case .failure(let exit): return exit.status
        }
        let watcher = running.watchConfigFile()
        var signal = await signals.next()
        while signal == SIGHUP {
            await running.reload(reason: "SIGHUP")
            signal = await signals.next()
        }
        watcher.cancel()
        running.logger.info("stopping", metadata: ["signal": "\(signal.map { String($0) } ?? "none")"])
        await running.stop()
        return ExitStatus.allPassed
    }
}

/// An agent that is serving: its probes running, its server listening. `App.agent` stops it on a
/// signal; tests stop it directly.
final class RunningAgent: Sendable {
    let server: AgentServer
    let agent: AgentSession
    let logger: Logger
    let sim: SimulatedTarget?
    let settings: AgentSettings
    private let recorder: RecordingWriter?
    private let reloads = ReloadQueue()
    let watcher: ConfigFileWatcher

    private init(server: AgentServer, agent: AgentSession, logger: Logger, sim: SimulatedTarget?, recorder: RecordingWriter?, settings: AgentSettings) {
        self.server = server; self.agent = agent; self.logger = logger; self.sim = sim; self.recorder = recorder; self.settings = settings
        watcher = ConfigFileWatcher(path: settings.target.configPath)
    }

    var baseURL: String { server.baseURL }

    static func start(_ settings: AgentSettings, logSink: LineSink) async -> Result<RunningAgent, ExitCodeValue> {
        var logger = Logger(label: "stagetop.agent") { _ in AgentLogHandler(format: settings.logFormat, sink: logSink) }
        if let location = settings.location { logger[metadataKey: "location"] = "\(location)" }

        let token: String?
        switch TokenEnvironment.read(settings.apiTokenEnv) {
        case .success(let t): token = t
        case .failure(let exit): return .failure(exit)
        }
        if !settings.listen.isLoopback, token == nil {
            logger.warning("listening on a non-loopback address without --api-token-env: anyone who can reach it can read results and re-run probes",
                           metadata: ["listen": "\(settings.listen)"])
        }

        let prepared: (config: StageConfig, sim: SimulatedTarget?)
        switch await settings.target.prepareOrExit() {
        case .success(let p): prepared = p
        case .failure(let exit): return .failure(exit)
        }
        let config = prepared.config
        let recorder: RecordingWriter?
        do { recorder = try ProbeSession.openRecording(settings.record, config: config) } catch {
            Console.error("\(error)")
            await prepared.sim?.stop()
            return .failure(ExitCodeValue(ExitStatus.usage))
        }

        let feed = EventFeed()
        let facts = AgentFacts(version: AgentSettings.version, location: settings.location, startedAt: Date())
        let agent = AgentSession(config: config, facts: facts, feed: feed, logger: logger, recordTo: recorder, apiToken: token)
        let server: AgentServer
        do {
            server = try await AgentServer.start(listen: settings.listen, backend: agent, feed: feed,
                                                 access: APIAccess(token: token, allowsControl: !settings.readOnly), heartbeat: settings.heartbeat)
        } catch {
            Console.error("\(error)")
            recorder?.close()
            await prepared.sim?.stop()
            return .failure(ExitCodeValue(ExitStatus.usage))
        }
        for note in config.routeDriftNotes { agent.session.note(note) }
        await agent.session.start()
        await agent.session.scheduler.start()
        logger.info("agent started", metadata: [
            "listen": "\(server.address)", "config": "\(config.path)", "probes": "\(config.probes.count)",
            "api_token": "\(token == nil ? "none" : "required")", "read_only": "\(settings.readOnly)",
        ])
        return .success(RunningAgent(server: server, agent: agent, logger: logger, sim: prepared.sim, recorder: recorder, settings: settings))
    }

    /// Loads the config again and swaps it in. An invalid config keeps the old one running and says why:
    /// a log line naming file:line:col, a note in the event log, `stagetop_config_reload_success 0`.
    func reload(reason: String) async {
        await reloads.serially {
            watcher.markLoaded()
            let config: StageConfig
            do {
                config = try settings.target.reload(sim: sim)
            } catch {
                agent.recordReload(ok: false)
                logger.error("config reload failed; the old config keeps running", metadata: ["reason": "\(reason)", "error": "\(error)"])
                agent.session.note("config reload failed, old config still running: \(error)")
                return
            }
            let diff = await agent.reload(to: config)
            agent.recordReload(ok: true)
            logger.info("config reloaded", metadata: ["reason": "\(reason)", "probes": "\(config.probes.count)", "added": "\(diff.added.joined(separator: ","))",
                                                      "removed": "\(diff.removed.joined(separator: ","))", "changed": "\(diff.changed.joined(separator: ","))"])
            agent.session.note("config reloaded (\(reason)): \(diff)")
        }
    }

    /// Reloads when the config file changes (see `ConfigFileWatcher`).
    func watchConfigFile() -> Task<Void, Never> {
        watcher.start { [self] in await reload(reason: "file changed") }
    }

    /// Graceful: no new runs, runs in flight finish or are cut at their timeout, the server and event
    /// streams close, the recording is flushed.
    func stop() async {
        await Self.drain(agent.session, logger: logger)
        await agent.shutdownAlerts()
        await server.stop()
        await sim?.stop()
        recorder?.close()
        logger.info("stopped")
    }

    /// No new runs start; runs in flight get until their own timeout (the longest one, plus a second) to
    /// finish and report, then whatever still runs (a held-open WebSocket) is cut.
    static func drain(_ session: ProbeSession, logger: Logger) async {
        let scheduler = session.scheduler
        await scheduler.pause()
        let longest = session.config.probes.map(\.timeout.seconds).max() ?? 0
        let deadline = Date().addingTimeInterval(longest + 1)
        while Date() < deadline, await !scheduler.runningProbes.isEmpty {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let cut = await scheduler.runningProbes
        if !cut.isEmpty { logger.info("cut runs still in flight", metadata: ["probes": "\(cut.sorted().joined(separator: ","))"]) }
        await session.shutdown()
    }
}
