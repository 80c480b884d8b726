import ArgumentParser
import StageAgent
import StageApp

struct AgentCommand: ParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the probes headless and serve /metrics, a snapshot and an event stream over HTTP.",
        discussion: """
        Routes: /metrics (Prometheus), /api/v1/snapshot (JSON report), /api/v1/events (server-sent events,
        resumable with Last-Event-ID), POST /api/v1/run[?probe=NAME], POST /api/v1/pause[?paused=true|false], /healthz.
        SIGTERM or SIGINT stops it: no new runs, runs in flight finish (or are cut at their timeout), recordings flushed.
        """
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "Address to serve on (HOST:PORT; [::1]:PORT for IPv6). Loopback unless you say otherwise.")
    var listen = "127.0.0.1:9464"

    @Option(help: "This agent's location, put on every metric as location=\"NAME\" (e.g. east, eu-west-1).")
    var location: String?

    @Option(help: "Environment variable holding the bearer token the API requires (all routes but /healthz).")
    var apiTokenEnv: String?

    @Flag(help: "Refuse POST /api/v1/run and /api/v1/pause.")
    var readOnly = false

    @Option(help: "Log line format on stderr: logfmt or json.")
    var logFormat = "logfmt"

    @Option(help: "Seconds between keep-alive comments on an idle event stream (proxies close silent connections).")
    var heartbeat: Double = 15

    @Option(help: "Append every result and cycle boundary to this recording (JSON lines).")
    var record: String?

    func validate() throws {
        try target.requireConfig()
        guard ListenAddress(listen) != nil else { throw ValidationError("--listen \(listen): expected HOST:PORT, e.g. 127.0.0.1:9464 or [::1]:9464") }
        guard AgentLogFormat(rawValue: logFormat) != nil else { throw ValidationError("--log-format must be logfmt or json") }
        guard heartbeat >= 0.05, heartbeat <= 3600 else { throw ValidationError("--heartbeat must be between 0.05 and 3600 seconds") }
        if let location, location.isEmpty { throw ValidationError("--location must not be empty") }
    }

    func execute() async throws {
        let settings = AgentSettings(target: target.settings, listen: ListenAddress(listen)!, location: location, apiTokenEnv: apiTokenEnv,
                                     readOnly: readOnly, logFormat: AgentLogFormat(rawValue: logFormat)!, record: record,
                                     heartbeat: .milliseconds(Int(heartbeat * 1000)))
        throw ExitCode(await App.agent(settings))
    }
}
