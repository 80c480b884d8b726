import Foundation
import Hummingbird

/// `/__sim/…`: read and change the simulator's faults at run time (tests flip one route this way).
///
/// - `GET /__sim/state` — scenario, active faults, overrides, requests in flight
/// - `GET /__sim/scenarios` — every scenario with its summary
/// - `POST /__sim/scenario/{name}` — switch scenario (clears overrides); unknown name → 404
/// - `PUT /__sim/faults` — `{"route":"/api/health","fault":{"status":500}}`; `"fault": null` clears
/// - `DELETE /__sim/faults` — clear every override (route faults, WebSocket faults, stream modes)
/// - `/__sim/ws`, `/__sim/streams`, `/__sim/ratelimit`, `/__sim/token` — see `ControlSettings`
enum ControlRoutes {
    static let prefix = "/__sim"

    static func handles(_ path: String) -> Bool {
        path == prefix || path.hasPrefix(prefix + "/")
    }

    private struct FaultUpdate: Decodable {
        var route: String
        var fault: RouteFault?
    }

    static func respond(method: HTTPRequest.Method, path: String, body: Data, core: SimCore) -> Response {
        let subpath = String(path.dropFirst(prefix.count))
        if let response = ControlSettings.respond(method: method, subpath: subpath, body: body, core: core) {
            return response
        }
        switch (method, subpath) {
        case (.get, "/state"), (.get, "/state/"):
            return SimResponses.json(200, state(core))

        case (.get, "/scenarios"):
            return SimResponses.json(
                200,
                [
                    "scenarios": .array(
                        Scenarios.all.map { ["name": .string($0.name), "summary": .string($0.summary)] }),
                    "default_demo": .string(Scenarios.defaultDemo),
                ])

        case (.post, _) where subpath.hasPrefix("/scenario/"):
            let name = String(subpath.dropFirst("/scenario/".count))
            do {
                try core.setScenario(name)
                return SimResponses.json(200, state(core))
            } catch {
                return SimResponses.json(
                    404,
                    [
                        "detail": .string("Unknown scenario '\(name)'"),
                        "known": .array(Scenarios.names.map { .string($0) }),
                    ])
            }

        case (.put, "/faults"):
            let update: FaultUpdate
            do {
                update = try JSONDecoder().decode(FaultUpdate.self, from: body)
            } catch {
                return SimResponses.error(
                    400, detail: #"Expected {"route":"/path","fault":{...} or null}: \#(error)"#)
            }
            guard update.route.hasPrefix("/") else {
                return SimResponses.error(400, detail: "route must be a path starting with '/'")
            }
            core.setFault(update.fault, for: update.route)
            return SimResponses.json(200, state(core))

        case (.delete, "/faults"):
            core.clearOverrides()
            return SimResponses.json(200, state(core))

        case (_, "/state"), (_, "/scenarios"), (_, "/faults"):
            return SimResponses.error(405)

        default:
            return SimResponses.error(404)
        }
    }

    static func state(_ core: SimCore) -> JSON {
        let state = core.state.withLock { $0 }
        let http: [(String, JSON)] = [
            ("scenario", .string(state.scenario.name)),
            ("summary", .string(state.scenario.summary)),
            ("base_delay_ms", .double(state.scenario.baseDelayMs)),
            ("base_jitter_ms", .double(state.scenario.baseJitterMs)),
            ("faults", json(state.activeFaults)),
            ("overrides", json(state.overrides)),
            ("loses_writes", .bool(state.scenario.losesWrites)),
            ("in_flight", .int(core.requestsInFlight)),
            ("requests_served", .int(core.requestsServed)),
            ("routes", .array(StagingRoutes.paths.map { .string($0) })),
        ]
        return .object(http + ControlSettings.state(state, core: core))
    }

    private static func json(_ faults: [String: RouteFault]) -> JSON {
        .object(faults.keys.sorted().map { ($0, json(faults[$0]!)) })
    }

    static func json(_ fault: RouteFault) -> JSON {
        .encoding(fault)
    }
}
