import Hummingbird

/// Building the JSON responses every route answers with.
enum SimResponses {
    static func json(_ status: Int, _ body: JSON, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/json"
        return Response(
            status: HTTPResponse.Status(code: status, reasonPhrase: reasonPhrase(status)),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: body.serialized()))
        )
    }

    /// A status with no body (`204 No Content` after a delete).
    static func empty(_ status: Int) -> Response {
        Response(status: HTTPResponse.Status(code: status, reasonPhrase: reasonPhrase(status)))
    }

    /// An error in the FastAPI shape staging used: `{"detail":"Not Found"}`.
    static func error(_ status: Int, detail: String? = nil, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        if status == 429, headers[.retryAfter] == nil { headers[.retryAfter] = "1" }
        return json(status, ["detail": .string(detail ?? reasonPhrase(status))], headers: headers)
    }

    static func redirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return json(307, ["detail": "Temporary Redirect", "location": .string(location)], headers: headers)
    }

    static func unauthorized(_ detail: String) -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer"
        return error(401, detail: detail, headers: headers)
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status \(status)"
        }
    }
}
