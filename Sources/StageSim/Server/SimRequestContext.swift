import Hummingbird
import NIOCore

/// Hummingbird's `BasicRequestContext` plus the connection: a stream that has gone silent on purpose
/// (`noFirstByte`, `stallAfter`) writes nothing, so without it it would never learn that its client
/// gave up, and would stay parked (and counted) until the simulator stops.
struct SimRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let connection: ClientConnection

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.connection = ClientConnection(channel: source.channel)
    }
}
