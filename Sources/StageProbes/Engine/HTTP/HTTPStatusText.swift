import Foundation
import StageModel

/// Reason phrases by status. The server's own phrase when it sent one (HTTP/1.x: "429 Slow Down" says more
/// than the standard text); HTTP/2 has none on the wire, so then this table.
enum HTTPStatusText {
    static func phrase(_ status: Int, serverPhrase: String = "") -> String {
        let standard = table[status]
        // The standard text unless the server said something else ("ok" is OK; "Slow Down" is news). ASCII
        // folding by hand: Foundation's case-insensitive compare was 4 % of a probe's CPU (perf).
        let own = serverPhrase.utf8.last == 32 || serverPhrase.utf8.first == 32 ? serverPhrase.trimmingCharacters(in: .whitespaces) : serverPhrase
        if !own.isEmpty, !asciiEqualIgnoringCase(own, standard ?? "") { return own }
        return standard ?? own
    }

    static func asciiEqualIgnoringCase(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        return zip(a.utf8, b.utf8).allSatisfy { x, y in x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 97 && (x | 0x20) <= 122) }
    }

    /// "502 Bad Gateway: upstream timed out", or the detail alone when it already starts with the status
    /// line (an HTML error page's title usually does: "502 Bad Gateway — nginx/1.22.1").
    static func line(_ line: String, detail: String?) -> String {
        guard let detail, !detail.isEmpty else { return line }
        return detail.hasPrefix(line) ? detail : "\(line): \(detail)"
    }

    /// "200 OK", "599" when nothing is known.
    static func line(_ status: Int, serverPhrase: String = "") -> String {
        // The common case, a standard phrase (or none) from the server: the line made once, not per result
        // (perf: a third of judging an HTTP response at 1,000 a second).
        if let standard = standardLines[status],
           serverPhrase.isEmpty || asciiEqualIgnoringCase(serverPhrase, standard.phrase) { return standard.line }
        let p = phrase(status, serverPhrase: serverPhrase)
        return p.isEmpty ? "\(status)" : "\(status) \(p)"
    }

    private static let standardLines: [Int: (phrase: String, line: String)] =
        table.reduce(into: [:]) { $0[$1.key] = ($1.value, "\($1.key) \($1.value)") }

    private static let table: [Int: String] = [
        100: "Continue", 101: "Switching Protocols",
        200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
        205: "Reset Content", 206: "Partial Content",
        300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
        307: "Temporary Redirect", 308: "Permanent Redirect",
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required", 408: "Request Timeout",
        409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed", 413: "Content Too Large",
        414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
        418: "I'm a teapot", 421: "Misdirected Request", 422: "Unprocessable Content", 425: "Too Early",
        426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
        431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
        504: "Gateway Timeout", 505: "HTTP Version Not Supported", 507: "Insufficient Storage",
        508: "Loop Detected", 511: "Network Authentication Required",
    ]

    /// The first line of what a server said about an error: a JSON `detail`/`error`/`message` field when
    /// the body is JSON (FastAPI, Express, Spring shapes), else the first non-empty text line. Capped.
    static func errorDetail(_ body: [UInt8], limit: Int = 120) -> String? {
        var text: String?
        if let json = JSONValue.parse(body) {
            for key in ["detail", "error", "message", "msg", "title"] where text == nil {
                guard let v = json[key] else { continue }
                switch v {
                case .string(let s): text = s
                case .object: text = v["message"]?.description ?? v["detail"]?.description ?? v.jsonText
                default: text = v.jsonText
                }
            }
            if text == nil { text = json.jsonText }
        } else if let page = HTMLText.summary(body) {
            text = page
        } else {
            text = String(decoding: body, as: UTF8.self)
        }
        guard let t = text else { return nil }
        let firstLine = t.split(whereSeparator: \.isNewline).lazy
            .map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        guard var line = firstLine else { return nil }
        if line.count > limit { line = String(line.prefix(limit - 1)) + "…" }
        return line
    }
}
