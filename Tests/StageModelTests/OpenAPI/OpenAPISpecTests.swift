import Foundation
import Testing

@testable import StageModel

@Suite("OpenAPI documents: reading JSON and YAML, and what init --openapi writes")
struct OpenAPISpecTests {
    /// A small FastAPI-like document: global bearer security, a public health route, a templated route, a
    /// POST, an event stream, a WebSocket path, a `$ref` parameter, and an apiKey-secured route.
    static let yaml = """
    openapi: 3.0.3
    info: { title: Orders API, version: "2" }
    servers:
      - url: "https://{region}.api.example.com/v1"
        variables: { region: { default: eu } }
    security: [{ bearer: [] }]
    tags: [{ name: health }, { name: orders }]
    paths:
      /health:
        get:
          tags: [health]
          operationId: health check
          security: []
          responses: { 200: { description: ok } }
      /orders:
        parameters:
          - $ref: "#/components/parameters/Page"
        get:
          tags: [orders]
          operationId: listOrders
          responses:
            "200": { description: ok, content: { application/json: {} } }
        post:
          tags: [orders]
          operationId: createOrder
          requestBody: { required: true, content: { application/json: {} } }
          responses: { "201": { description: created } }
      /orders/{id}:
        get:
          tags: [orders]
          parameters: [{ name: id, in: path, required: true }]
          responses: { "200": { description: ok } }
      /orders/search:
        get:
          tags: [orders]
          operationId: searchOrders
          parameters: [{ name: q, in: query, required: true }]
          responses: { "200": { description: ok } }
      /orders/feed:
        get:
          operationId: orderFeed
          tags: [orders]
          responses: { "200": { description: ok, content: { text/event-stream: {} } } }
      /ws:
        get: { responses: { "101": { description: upgrade } } }
      /reports:
        get:
          operationId: reports
          security: [{ key: [] }]
          responses: { "204": { description: none } }
    components:
      parameters:
        Page: { name: page, in: query, required: false }
      securitySchemes:
        bearer: { type: http, scheme: bearer }
        key: { type: apiKey, in: header, name: X-API-Key }
    """

    @Test func readsOperationsFromYAML() throws {
        let spec = try OpenAPISpec.parse(Self.yaml, source: "orders.yaml")
        #expect(spec.version == "3.0.3")
        #expect(spec.serverURL == "https://eu.api.example.com/v1")
        #expect(spec.operations.map { "\($0.method) \($0.path)" } == [
            "GET /health", "GET /orders", "POST /orders", "GET /orders/{id}", "GET /orders/search", "GET /orders/feed",
            "GET /ws", "GET /reports",
        ])
        let list = try #require(spec.operations.first { $0.operationID == "listOrders" })
        #expect(list.requiredParameters.isEmpty, "the $ref page parameter is optional")
        #expect(list.security == ["bearer"])
        #expect(spec.operations.first { $0.path == "/health" }?.security == [], "security: [] opts out of the global one")
        #expect(spec.operations.first { $0.path == "/orders/{id}" }?.requiredParameters == ["id (path)"])
        #expect(spec.operations.first { $0.path == "/orders/search" }?.requiredParameters == ["q (query)"])
        #expect(spec.operations.first { $0.path == "/reports" }?.successStatus == 204)
        #expect(spec.securitySchemes["key"]?.isBearer == false && spec.securitySchemes["bearer"]?.isBearer == true)
    }

    @Test func readsTheSameFromJSONInDocumentOrder() throws {
        let json = """
        {"openapi":"3.1.0","info":{"title":"t","version":"1"},
         "paths":{"/z":{"get":{"responses":{"200":{"description":"ok"}}}},
                  "/a/{id}":{"delete":{"responses":{"204":{"description":"gone"}}}},
                  "/a":{"get":{"operationId":"a","responses":{"200":{"description":"ok"}}}}}}
        """
        let spec = try OpenAPISpec.parse(json, source: "t.json")
        #expect(spec.operations.map { "\($0.method) \($0.path)" } == ["GET /z", "DELETE /a/{id}", "GET /a"])
        #expect(spec.operations[1].requiredParameters == ["id (path)"], "an undeclared template segment is still required")
    }

    @Test(arguments: [
        ("swagger: \"2.0\"\npaths: {}\n", "s.yaml:1:1: error: this is a Swagger 2.0 document, not OpenAPI 3"),
        ("name: staging\nprobes: []\n", "s.yaml:1:1: error: not an OpenAPI document: it has no 'openapi' version key"),
        ("openapi: 4.0.0\npaths: {}\n", "s.yaml:1:1: error: OpenAPI 4.0.0 is not supported"),
        ("openapi: 3.1.0\n", "s.yaml:1:1: error: the document has no 'paths' mapping"),
        ("openapi: 3.1.0\npaths: [\n", "s.yaml:3:1: error: not valid YAML"),
        ("{\"openapi\": \"3.1.0\",", "s.yaml:1:1: error: not valid JSON"),
        ("- a\n- b\n", "s.yaml:1:1: error: not an OpenAPI document"),
    ])
    func refusesWhatIsNotOpenAPI3(text: String, message: String) {
        do {
            _ = try OpenAPISpec.parse(text, source: "s.yaml")
            Issue.record("parsed \(text)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test func conversionWritesGETsWithoutParametersAndListsTheRest() throws {
        let spec = try OpenAPISpec.parse(Self.yaml, source: "orders.yaml")
        let c = try OpenAPIConversion.convert(spec, source: "orders.yaml", baseURL: nil, documentURL: nil)
        #expect(c.probes == 3)
        #expect(c.text.contains("  base_url: \"https://eu.api.example.com/v1\""))
        #expect(c.text.contains("  # openapi: "), "a file source is not the deployed document: commented out")
        #expect(c.text.contains("token: ${STAGING_JWT}"))
        #expect(c.text.contains("- name: \"health_check\"") && c.text.contains("http: { path: \"/health\" }"))
        #expect(c.text.contains("- name: \"listOrders\"") && c.text.contains("http: { path: \"/orders\", auth: bearer }"))
        #expect(c.text.contains("stream: { path: \"/orders/feed\", auth: bearer, first_byte_within: 3s"))
        #expect(c.text.contains("group: \"orders\""))
        for skipped in ["POST /orders (createOrder): not a GET", "GET /orders/{id}: needs id (path)",
                        "GET /orders/search (searchOrders): needs q (query)", "GET /ws: a WebSocket route",
                        "GET /reports (reports): secured by key (apiKey (header X-API-Key))"] {
            #expect(c.skipped.contains { $0.hasPrefix(skipped) }, "\(skipped): \(c.skipped)")
            #expect(c.text.contains("#   - " + skipped), "\(skipped)")
        }
        // It loads as written, with a stand-in for the token.
        let config = try ConfigLoader.parse(yaml: c.text, file: "out.yaml", options: ConfigLoadOptions(environment: [:], fallbacks: c.standIns))
        #expect(config.probes.map(\.name) == ["health_check", "listOrders", "orderFeed"])
        #expect(config.probes.map(\.group) == ["health", "orders", "orders"])
    }

    @Test func baseURLComesFromTheFlagThenTheServerThenTheDocumentsOrigin() throws {
        let noServer = try OpenAPISpec.parse("openapi: 3.1.0\npaths: { /h: { get: { responses: { '200': { description: ok } } } } }\n", source: "d.yaml")
        let fromURL = try OpenAPIConversion.convert(noServer, source: "u", baseURL: nil, documentURL: "http://127.0.0.1:9/openapi.json")
        #expect(fromURL.text.contains("base_url: \"http://127.0.0.1:9\""))
        #expect(fromURL.text.contains("  openapi: \"http://127.0.0.1:9/openapi.json\""))
        #expect(!fromURL.text.contains("auth:"), "no secured operation, no token")
        let flagged = try OpenAPIConversion.convert(noServer, source: "d.yaml", baseURL: "https://staging.example.com/", documentURL: nil)
        #expect(flagged.text.contains("base_url: \"https://staging.example.com\""))
        #expect(throws: ConfigError.self) { try OpenAPIConversion.convert(noServer, source: "d.yaml", baseURL: nil, documentURL: nil) }

        let relative = try OpenAPISpec.parse("openapi: 3.1.0\nservers: [{url: /api/v1}]\npaths: { /h: { get: { responses: { '200': { description: ok } } } } }\n", source: "d.yaml")
        let resolved = try OpenAPIConversion.convert(relative, source: "u", baseURL: nil, documentURL: "https://x.example.com/docs/openapi.json")
        #expect(resolved.text.contains("base_url: \"https://x.example.com/api/v1\""))
    }

    @Test func refusesADocumentWithNoGET() throws {
        let spec = try OpenAPISpec.parse("openapi: 3.1.0\npaths: { /a: { post: { responses: { '201': { description: ok } } } } }\n", source: "p.yaml")
        do {
            _ = try OpenAPIConversion.convert(spec, source: "p.yaml", baseURL: "https://x.example.com", documentURL: nil)
            Issue.record("converted a document without GETs")
        } catch {
            #expect(error.description.contains("p.yaml:1:1: error: the document has no GET operation to probe"))
        }
    }
}
