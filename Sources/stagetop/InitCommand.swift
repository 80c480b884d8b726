import ArgumentParser
import StageApp

struct InitCommand: ParsableCommand, AsyncRunnable {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter stagetop config, or one from a gatus config or an OpenAPI document.",
        discussion: """
        Without options: a commented starter config for a staging like the one in the staging reports \
        (health, auth, discovery, agents, threads, WebSocket), which passes `check --sim healthy` as it stands. \
        --from-gatus GATUS.yaml converts a gatus config: HTTP and WebSocket endpoints with their groups, intervals, \
        methods, headers, bodies, client timeouts, insecure TLS and conditions (kept as written), and Slack, Discord \
        and custom webhook alerts. What has no stagetop counterpart is listed on stderr and as comments in the output. \
        --openapi URL|FILE reads an OpenAPI 3.0/3.1 document (JSON or YAML) and writes one HTTP probe per GET \
        operation without required parameters, grouped by tag, with auth: bearer where the operation is secured; \
        the base URL is --base-url, else the document's first server, else the URL's origin. The operations it \
        skipped are listed on stderr and as comments in the output.
        """
    )

    @Option(name: .customLong("from-gatus"), help: "A gatus config file (config.yaml) to convert.")
    var fromGatus: String?

    @Option(name: .customLong("openapi"), help: "An OpenAPI 3.0/3.1 document (JSON or YAML): a URL or a file.")
    var openAPI: String?

    @Option(name: .customLong("base-url"), help: "With --openapi: the staging's base URL (default: the document's first server, else the URL's origin).")
    var baseURL: String?

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func validate() throws {
        if fromGatus != nil, openAPI != nil { throw ValidationError("--from-gatus and --openapi cannot be used together") }
        if baseURL != nil, openAPI == nil { throw ValidationError("--base-url goes with --openapi") }
    }

    func execute() async throws {
        if let openAPI {
            throw ExitCode(await App.initFromOpenAPI(source: openAPI, baseURL: baseURL, output: output, force: force))
        }
        guard let fromGatus else { throw ExitCode(App.initStarter(output: output, force: force)) }
        throw ExitCode(App.initFromGatus(path: fromGatus, output: output, force: force))
    }
}
