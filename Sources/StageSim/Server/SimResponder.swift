import Foundation
import Hummingbird

/// The one Hummingbird responder: control routes under `/__sim/` first (never faulted, so a test can
/// always repair what it broke), then the route's fault, then `/openapi.json`, then the rate limiter
/// (on `/api/health`), then the staging route itself. WebSocket upgrades never get here (see `WebSocketEndpoint`).
///
/// Faults are looked up by the exact path, before routing: a fault can sit on a path no route serves
/// (e.g. `/api/chat/stream`), and `/health/` (where the reports' 307 pointed) stays healthy while
/// `/health` redirects. Routes themselves ignore one trailing slash, as staging did. A path served by a
/// templated route (`/api/threads/thread-1`) also meets the template's and the collection's faults
/// (`SimState.fault(forRequest:)`).
struct SimResponder: HTTPResponder {
    typealias Context = SimRequestContext

    let core: SimCore
    static let maxBodyBytes = 1 << 20

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        var request = request
        let body = try await Data(request.collectBody(upTo: Self.maxBodyBytes).readableBytesView)

        // Control requests answer at once and are not counted in flight, so `GET /__sim/state`
        // reports only the staging requests (a test can see its delayed request waiting).
        if ControlRoutes.handles(path) {
            return ControlRoutes.respond(method: request.method, path: path, body: body, core: core)
        }
        core.requestBegan()
        defer { core.requestEnded() }

        let (fault, latencyMs) = core.state.withLock { ($0.fault(forRequest: path), $0.latencyMs(for: path)) }
        if latencyMs > 0, await !core.stopping.sleep(for: .milliseconds(latencyMs)) {
            return SimResponses.error(503, detail: "Simulator is stopping")
        }
        if let location = fault?.redirectTo {
            return SimResponses.redirect(to: location)
        }
        if let status = fault?.status {
            return SimResponses.error(status, detail: fault?.detail)
        }

        // After the faults, like any staging route: a test can make the document itself fail or slow.
        if path == OpenAPIDocument.path {
            guard request.method == .get else { return SimResponses.error(405, headers: [.allow: "GET"]) }
            let state = core.state.withLock { $0 }
            let document = OpenAPIDocument.render { state.isDeployed($0) }
            return SimResponses.json(200, document)
        }
        guard let (route, pathParameters) = StagingRoutes.route(for: path) else {
            return SimResponses.error(404)
        }
        guard route.methods.contains(request.method) else {
            var headers = HTTPFields()
            headers[.allow] = route.methods.map(\.rawValue).sorted().joined(separator: ", ")
            return SimResponses.error(405, headers: headers)
        }

        var rateLimitHeaders = HTTPFields()
        if TokenBucket.guardedRoutes.contains(route.path) {
            // After the route's fault: a scenario whose /api/health is 404 or 307 keeps answering that
            // however hard it is hammered (report 000's rate-limit test saw 404, not 429).
            let decision = core.state.withLock { state -> (TokenBucket.Decision, Int)? in
                guard let decision = state.rateLimit?.take() else { return nil }
                return (decision, state.rateLimit?.capacity ?? 0)
            }
            if let (decision, capacity) = decision {
                rateLimitHeaders[Self.rateLimitLimit] = String(capacity)
                switch decision {
                case .allowed(let remaining):
                    rateLimitHeaders[Self.rateLimitRemaining] = String(remaining)
                case .limited(let retryAfter):
                    rateLimitHeaders[Self.rateLimitRemaining] = "0"
                    rateLimitHeaders[.retryAfter] = String(retryAfter)
                    return SimResponses.error(429, detail: "Rate limit exceeded", headers: rateLimitHeaders)
                }
            }
        }

        var claims: SimToken.Claims?
        if route.requiresAuth {
            switch Self.authenticate(request.headers[.authorization]) {
            case .success(let valid): claims = valid
            case .failure(let failure): return failure.response
            }
        }
        if fault?.wrongShape == true {
            return SimResponses.json(200, route.wrongShape)
        }

        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let input = RouteInput(
            method: request.method, headers: request.headers, query: query, body: body, claims: claims,
            connection: context.connection, pathParameters: pathParameters)
        var response = route.handle(input, core)
        response.headers.append(contentsOf: rateLimitHeaders)
        return response
    }

    static let rateLimitLimit = HTTPFields.Element.Name("X-RateLimit-Limit")!
    static let rateLimitRemaining = HTTPFields.Element.Name("X-RateLimit-Remaining")!

    /// Bearer check with FastAPI-style details, so a probe's message says why it was refused.
    static func authenticate(_ authorization: String?) -> Result<SimToken.Claims, AuthFailure> {
        guard let authorization, !authorization.isEmpty else {
            return .failure(AuthFailure(SimResponses.unauthorized("Not authenticated")))
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return .failure(AuthFailure(SimResponses.unauthorized("Invalid authentication scheme")))
        }
        switch SimToken.validate(String(parts[1]).trimmingCharacters(in: .whitespaces)) {
        case .success(let claims): return .success(claims)
        case .failure(let rejection): return .failure(AuthFailure(SimResponses.unauthorized(rejection.description)))
        }
    }

    struct AuthFailure: Error {
        let response: Response
        init(_ response: Response) { self.response = response }
    }
}
