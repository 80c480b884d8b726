import Hummingbird

/// `GET /openapi.json`: an OpenAPI 3.1 document of the routes the simulator serves, as FastAPI serves one
/// for staging. Generated from `StagingRoutes.all` on every request, so it cannot drift from them, and
/// limited to the routes deployed in the current state: a scenario that models a revision without a
/// route (a 404 fault) leaves it out, so `check --openapi` can tell "never deployed" from "broke".
/// `/ws` is not listed (OpenAPI describes HTTP operations; FastAPI leaves WebSocket routes out too).
enum OpenAPIDocument {
    static let path = "/openapi.json"
    static let securityScheme = "bearer"

    static func render(deployed: (StagingRoute) -> Bool) -> JSON {
        let routes = StagingRoutes.all.filter(deployed)
        var tags: [String] = []
        for route in routes where !tags.contains(route.tag) { tags.append(route.tag) }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "netra-backend (stagetop simulated staging)",
                "version": .string(HealthBodies.version),
            ],
            "tags": .array(tags.map { ["name": .string($0)] }),
            "paths": .object(routes.map { ($0.path, pathItem($0)) }),
            "components": [
                "securitySchemes": [
                    securityScheme: ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]
                ]
            ],
        ]
    }

    private static func pathItem(_ route: StagingRoute) -> JSON {
        .object(route.methods.map { ($0.rawValue.lowercased(), operation(route, $0)) })
    }

    private static func operation(_ route: StagingRoute, _ method: HTTPRequest.Method) -> JSON {
        var op: [(String, JSON)] = [
            ("tags", [.string(route.tag)]),
            ("operationId", .string(operationID(route, method))),
        ]
        let parameters =
            route.pathParameterNames.map { parameter($0, in: "path", required: true) }
            + route.parameters.map { parameter($0.name, in: $0.in, required: $0.required) }
        if !parameters.isEmpty { op.append(("parameters", .array(parameters))) }
        if method == .post, let body = route.requestBody { op.append(("requestBody", requestBody(body))) }
        op.append(("responses", responses(route, method)))
        if route.requiresAuth { op.append(("security", [[securityScheme: []]])) }
        return .object(op)
    }

    /// `get_api_threads_id`: the method and the path's words, as FastAPI's generated ids are one word too.
    static func operationID(_ route: StagingRoute, _ method: HTTPRequest.Method) -> String {
        let words = route.path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        return ([method.rawValue.lowercased()] + words).joined(separator: "_")
    }

    private static func parameter(_ name: String, in place: String, required: Bool) -> JSON {
        ["name": .string(name), "in": .string(place), "required": .bool(required), "schema": ["type": "string"]]
    }

    private static func requestBody(_ body: OpenAPIBody) -> JSON {
        var schema: [(String, JSON)] = [
            ("type", "object"),
            ("properties", .object(body.properties.map { ($0, ["type": "string"]) })),
        ]
        if !body.requiredProperties.isEmpty { schema.append(("required", .array(body.requiredProperties.map { .string($0) }))) }
        return ["required": .bool(body.required), "content": ["application/json": ["schema": .object(schema)]]]
    }

    private static func responses(_ route: StagingRoute, _ method: HTTPRequest.Method) -> JSON {
        let status = route.success[method] ?? 200
        let content: JSON =
            route.tag == "streams" ? ["text/event-stream": ["schema": ["type": "string"]]] : ["application/json": ["schema": ["type": "object"]]]
        var out: [(String, JSON)] = [
            (String(status), status == 204 ? ["description": "No Content"] : ["description": .string(SimResponses.reasonPhrase(status)), "content": content])
        ]
        if route.requiresAuth { out.append(("401", ["description": "Not authenticated"])) }
        if let notFound = route.notFound { out.append(("404", ["description": .string(notFound)])) }
        if method == .post, route.requestBody?.required == true { out.append(("422", ["description": "Validation Error"])) }
        return .object(out)
    }
}
