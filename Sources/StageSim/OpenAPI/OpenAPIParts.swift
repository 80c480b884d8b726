/// A header or query parameter of a staging route, as `/openapi.json` lists it.
struct OpenAPIParameter: Sendable {
    var name: String
    /// `header` or `query` (path parameters come from the route's template).
    var `in`: String
    var required: Bool
}

/// The JSON object a route reads from its body: its string properties, which of them must be there, and
/// whether a body must be sent at all (`/api/chat/messages` answers 422 without `content`).
struct OpenAPIBody: Sendable {
    var required: Bool
    var properties: [String]
    var requiredProperties: [String] = []
}
