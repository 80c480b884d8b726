import ArgumentParser
import StageApp

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter stagetop config, or one converted from a gatus config.",
        discussion: """
        Without options: a commented starter config for a staging like the one in the staging reports \
        (health, auth, discovery, agents, threads, WebSocket), which passes `check --sim healthy` as it stands. \
        --from-gatus GATUS.yaml converts a gatus config: HTTP and WebSocket endpoints with their groups, intervals, \
        methods, headers, bodies, client timeouts, insecure TLS and conditions (kept as written), and Slack, Discord \
        and custom webhook alerts. What has no stagetop counterpart is listed on stderr and as comments in the output.
        """
    )

    @Option(name: .customLong("from-gatus"), help: "A gatus config file (config.yaml) to convert.")
    var fromGatus: String?

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func run() throws {
        guard let fromGatus else { throw ExitCode(App.initStarter(output: output, force: force)) }
        throw ExitCode(App.initFromGatus(path: fromGatus, output: output, force: force))
    }
}
