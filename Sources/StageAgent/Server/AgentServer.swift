import Foundation
import Hummingbird
import Logging
import NIOCore

/// The agent's HTTP server (Hummingbird): `/metrics`, `/healthz` and the `/api/v1` routes on one port.
///
/// ```swift
/// let server = try await AgentServer.start(listen: ListenAddress("127.0.0.1:0")!, backend: b, feed: f, access: APIAccess(token: nil))
/// // … server.port is the bound port …
/// await server.stop()
/// ```
public final class AgentServer: Sendable {
    public let address: ListenAddress
    private let feed: EventFeed
    private let runTask: Task<Void, Never>

    /// The port actually bound (never 0).
    public var port: Int { address.port }
    public var baseURL: String { "http://\(address)" }

    private init(address: ListenAddress, feed: EventFeed, runTask: Task<Void, Never>) {
        self.address = address; self.feed = feed; self.runTask = runTask
    }

    deinit { runTask.cancel() }

    /// Starts listening and returns once connections are accepted; throws if the address cannot be bound.
    public static func start(listen: ListenAddress, backend: any AgentBackend, feed: EventFeed, access: APIAccess,
                             heartbeat: Duration = .seconds(15)) async throws -> AgentServer {
        let (bound, report) = AsyncStream.makeStream(of: Result<Int, any Error>.self)
        var app = Application(
            responder: AgentResponder(backend: backend, feed: feed, access: access, heartbeat: heartbeat),
            configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port), serverName: "stagetop-agent"),
            onServerRunning: { channel in report.yield(.success(channel.localAddress?.port ?? listen.port)) }
        )
        // The agent logs its own lines (AgentLog); Hummingbird's would be a second, differently shaped voice.
        app.logger.logLevel = .critical
        let runTask = Task {
            do {
                try await app.run()
                report.yield(.failure(AgentServerError.stopped))
            } catch {
                report.yield(.failure(error))
            }
            report.finish()
        }
        var iterator = bound.makeAsyncIterator()
        switch await iterator.next() {
        case .success(let port)?:
            return AgentServer(address: ListenAddress(host: listen.host, port: port), feed: feed, runTask: runTask)
        case .failure(let error)?:
            runTask.cancel()
            throw AgentServerError.cannotListen(listen.description, "\(error)")
        case nil:
            runTask.cancel()
            throw AgentServerError.stopped
        }
    }

    /// Ends event streams first (they would otherwise hold their connections), then the server.
    public func stop() async {
        feed.close()
        runTask.cancel()
        await runTask.value
    }
}

public enum AgentServerError: Error, CustomStringConvertible {
    case cannotListen(String, String)
    case stopped

    public var description: String {
        switch self {
        case .cannotListen(let address, let why): "cannot listen on \(address): \(why)"
        case .stopped: "the agent's server stopped before it was listening"
        }
    }
}
