import Foundation
import Hummingbird

/// The `/__sim/` endpoints for WebSocket faults, stream modes, the rate limit and token lifetime
/// (the route-fault and scenario endpoints are in `ControlRoutes`). Each answers the full state.
///
/// - `GET /__sim/ws` — the WebSocket faults in force
/// - `PUT /__sim/ws` — a `WSFaults` object, e.g. `{"closeAfterWelcome":1011}`; `{}` makes `/ws` healthy,
///   `null` (or `DELETE`) goes back to the scenario's. Unknown keys are refused, not ignored.
/// - `PUT /__sim/streams` — `{"route":"/api/chat/stream","mode":{"kind":"stallAfter","events":2}}`;
///   `"mode": null` goes back to the scenario's; `DELETE` clears every stream override
/// - `PUT /__sim/ratelimit` — `{"capacity":20,"refill_per_second":5}` (a fresh, full bucket) or
///   `{"enabled":false}`; `DELETE` restores the default 20 / 5 per second, full
/// - `PUT /__sim/token` — `{"lifetime_seconds":3}` for tokens issued from now on
enum ControlSettings {
    static func respond(method: HTTPRequest.Method, subpath: String, body: Data, core: SimCore) -> Response? {
        switch (method, subpath) {
        case (.get, "/ws"):
            return SimResponses.json(200, .encoding(core.state.withLock { $0.wsFaults }))
        case (.put, "/ws"):
            return putWS(body, core)
        case (.delete, "/ws"):
            core.setWSFaults(nil)
        case (.put, "/streams"):
            return putStream(body, core)
        case (.delete, "/streams"):
            core.state.withLock { $0.streamOverrides = [:] }
        case (.put, "/ratelimit"):
            return putRateLimit(body, core)
        case (.delete, "/ratelimit"):
            core.setRateLimit(TokenBucket())
        case (.put, "/token"):
            return putToken(body, core)
        case (_, "/ws"), (_, "/streams"), (_, "/ratelimit"), (_, "/token"):
            return SimResponses.error(405)
        default:
            return nil
        }
        return SimResponses.json(200, ControlRoutes.state(core))
    }

    private static func putWS(_ body: Data, _ core: SimCore) -> Response {
        let usage = #"Expected a WSFaults object like {"closeAfterWelcome":1011}, or null"#
        guard let object = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return SimResponses.error(400, detail: usage)
        }
        if object is NSNull {
            core.setWSFaults(nil)
            return SimResponses.json(200, ControlRoutes.state(core))
        }
        guard let keys = (object as? [String: Any])?.keys else { return SimResponses.error(400, detail: usage) }
        let unknown = Set(keys).subtracting(WSFaults.keys).sorted()
        guard unknown.isEmpty else {
            return SimResponses.error(
                400, detail: "Unknown keys \(unknown); known: \(WSFaults.keys.sorted().joined(separator: ", "))")
        }
        let faults: WSFaults
        do {
            faults = try JSONDecoder().decode(WSFaults.self, from: body)
        } catch {
            return SimResponses.error(400, detail: "\(usage): \(error)")
        }
        guard faults.problems.isEmpty else {
            return SimResponses.error(400, detail: faults.problems.joined(separator: "; "))
        }
        core.setWSFaults(faults)
        return SimResponses.json(200, ControlRoutes.state(core))
    }

    private struct StreamUpdate: Decodable {
        var route: String
        var mode: StreamMode?
    }

    private static func putStream(_ body: Data, _ core: SimCore) -> Response {
        let update: StreamUpdate
        do {
            update = try JSONDecoder().decode(StreamUpdate.self, from: body)
        } catch {
            return SimResponses.error(
                400, detail: #"Expected {"route":"/api/chat/stream","mode":{"kind":"ok"} or null}: \#(error)"#)
        }
        guard StreamScripts.paths.contains(update.route) else {
            return SimResponses.error(
                400, detail: "route must be one of \(StreamScripts.paths.joined(separator: ", "))")
        }
        core.setStreamMode(update.mode, for: update.route)
        return SimResponses.json(200, ControlRoutes.state(core))
    }

    private struct RateLimitUpdate: Decodable {
        var capacity: Int?
        var refillPerSecond: Double?
        var enabled: Bool?
    }

    private static func putRateLimit(_ body: Data, _ core: SimCore) -> Response {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let update = try? decoder.decode(RateLimitUpdate.self, from: body) else {
            return SimResponses.error(
                400, detail: #"Expected {"capacity":20,"refill_per_second":5} or {"enabled":false}"#)
        }
        if update.enabled == false {
            core.setRateLimit(nil)
            return SimResponses.json(200, ControlRoutes.state(core))
        }
        let capacity = update.capacity ?? TokenBucket.defaultCapacity
        let refill = update.refillPerSecond ?? TokenBucket.defaultRefillPerSecond
        guard capacity >= 0, refill >= 0 else {
            return SimResponses.error(400, detail: "capacity and refill_per_second must be >= 0")
        }
        core.setRateLimit(TokenBucket(capacity: capacity, refillPerSecond: refill))
        return SimResponses.json(200, ControlRoutes.state(core))
    }

    private struct TokenUpdate: Decodable {
        var lifetimeSeconds: Int
    }

    private static func putToken(_ body: Data, _ core: SimCore) -> Response {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let update = try? decoder.decode(TokenUpdate.self, from: body), update.lifetimeSeconds >= 1 else {
            return SimResponses.error(400, detail: #"Expected {"lifetime_seconds":N} with N >= 1"#)
        }
        core.setTokenLifetime(seconds: update.lifetimeSeconds)
        return SimResponses.json(200, ControlRoutes.state(core))
    }

    /// The settings part of `GET /__sim/state`.
    static func state(_ state: SimState, core: SimCore) -> [(String, JSON)] {
        let rateLimit: JSON =
            state.rateLimit.map { bucket in
                ["capacity": .int(bucket.capacity), "refill_per_second": .double(bucket.refillPerSecond)]
            } ?? .null
        return [
            ("ws", .encoding(state.wsFaults)),
            ("ws_override", state.wsOverride.map { .encoding($0) } ?? .null),
            ("streams", .encoding(state.activeStreamModes)),
            ("rate_limit", rateLimit),
            ("token_lifetime_seconds", .int(state.tokenLifetimeSeconds)),
            ("ws_connections", .int(core.openSockets)),
            ("open_streams", .int(core.openStreams)),
        ]
    }
}
