import ArgumentParser
import StageApp

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a stagetop config from another tool's config.",
        discussion: """
        --from-gatus GATUS.yaml converts a gatus config: HTTP and WebSocket endpoints with their groups, intervals, \
        methods, headers, bodies, client timeouts, insecure TLS and conditions (kept as written), and Slack, Discord \
        and custom webhook alerts. What has no stagetop counterpart is listed on stderr and as comments in the output.
        """
    )

    @Option(name: .customLong("from-gatus"), help: "A gatus config file (config.yaml) to convert.")
    var fromGatus: String

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func run() throws {
        throw ExitCode(App.initFromGatus(path: fromGatus, output: output, force: force))
    }
}
