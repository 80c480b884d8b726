import Foundation

/// Route drift: the probes whose request the deployed API's OpenAPI document does not have (`target.openapi`,
/// `check --openapi`). A 404 on such a probe is a route that was never deployed, not one that broke: its
/// message says so (`route: not in the deployed API (GET /api/agents/start)`), class and verdict unchanged.
/// Marked when a command starts, applied to each result before the store, so the table, the reports, the
/// recording and the dashboard all read the same words.
public struct RouteDrift: Sendable, Equatable {
    /// Where the document came from.
    public var source: String
    /// Probe name → `METHOD /path` (the path as requested, without the query).
    public var undeployed: [String: String]
    /// Journeys: probe name → step name → `METHOD /path`, for their HTTP-speaking steps.
    public var undeployedSteps: [String: [String: String]]

    public init(source: String, undeployed: [String: String], undeployedSteps: [String: [String: String]] = [:]) {
        self.source = source; self.undeployed = undeployed; self.undeployedSteps = undeployedSteps
    }

    /// Marks every HTTP-speaking probe (http, stream, burst) of `config` whose method and path on `base_url`'s
    /// host the document lacks. Probes on another host (a full URL as `path`) are not the document's.
    public static func mark(_ config: StageConfig, against deployed: DeployedRoutes) -> RouteDrift {
        let base = URLComponents(string: config.target.baseURL)
        // A path may carry a secret variable (`/hooks/${HOOK_TOKEN}`): the route is written masked, as every
        // message is, since it is printed before the run and put into results.
        let scrubber = SecretScrubber(secrets: config.secrets)
        var undeployed: [String: String] = [:]
        var undeployedSteps: [String: [String: String]] = [:]
        /// `METHOD /path` when that request is on the document's host and the document lacks it.
        func missing(_ method: String, _ path: String) -> String? {
            guard let url = URLComponents(string: config.target.url(for: path)),
                  url.host?.lowercased() == base?.host?.lowercased(), url.port == base?.port, url.scheme == base?.scheme
            else { return nil }
            let requested = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
            return deployed.has(method: method, path: requested) ? nil : scrubber.scrub("\(method) \(requested)")
        }
        for probe in config.probes {
            if case .journey(let j) = probe.body {
                // A captured value fills one path segment at run time: any word stands in for it here.
                let standIns = j.captureStandIns
                for step in j.steps {
                    let filled = step.body.filled(standIns)
                    guard let (method, path) = request(filled.probeBody), let route = missing(method, path) else { continue }
                    undeployedSteps[probe.name, default: [:]][step.name] = route
                }
                continue
            }
            guard let (method, path) = request(probe.body), let route = missing(method, path) else { continue }
            undeployed[probe.name] = route
        }
        return RouteDrift(source: deployed.source, undeployed: undeployed, undeployedSteps: undeployedSteps)
    }

    /// The method and path of a kind whose requests are HTTP; nil for the rest.
    static func request(_ body: ProbeBody) -> (method: String, path: String)? {
        switch body {
        case .http(let s): (s.method, s.path)
        case .stream(let s): (s.method, s.path)
        case .burst(let s): (s.method, s.path)
        case .websocket, .journey: nil
        }
    }

    public static func message(_ route: String) -> String { "route: not in the deployed API (\(route))" }

    /// The event with an undeployed probe's 404 told as such; every other event as it was.
    public func apply(_ event: ProbeEvent) -> ProbeEvent {
        if case .finished(var result) = event, let steps = undeployedSteps[result.probe], var journey = result.journey,
           let (i, failing) = journey.failing, let route = steps[failing.name], failing.failureClass == .route, failing.status == 404 {
            journey.steps[i].message = Self.message(route)
            result.journey = journey
            result.message = "step \(i + 1)/\(journey.steps.count) \(failing.name): " + Self.message(route)
            return .finished(result)
        }
        guard case .finished(var result) = event, let route = undeployed[result.probe],
              result.failureClass == .route, result.status == 404 || result.statuses[404] != nil
        else { return event }
        result.message = Self.message(route)
        return .finished(result)
    }
}
