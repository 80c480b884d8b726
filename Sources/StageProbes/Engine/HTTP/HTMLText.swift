/// What an HTML error page says, for a probe message: its title, then the rest of its visible text with the
/// title's repeats dropped, whitespace collapsed ("502 Bad Gateway — nginx/1.22.1"). Proxies (nginx, Envoy,
/// a CDN) answer with pages like this; their markup is noise in a one-line message.
enum HTMLText {
    /// Nil when the body does not look like HTML.
    static func summary(_ body: [UInt8], scanLimit: Int = 64 * 1024) -> String? {
        let text = String(decoding: body.prefix(scanLimit), as: UTF8.self)
        let lower = text.lowercased()
        guard lower.contains("<html") || lower.contains("<!doctype html") || lower.contains("<title") || lower.contains("<h1") else {
            return nil
        }
        let title = element("title", in: text).map(collapse) ?? element("h1", in: text).map(collapse)
        var seen = Set<String>()
        if let title { seen.insert(title) }
        var rest: [String] = []
        var bodyText = text
        if let head = lower.range(of: "</head>") {
            bodyText = String(text[text.index(text.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: head.upperBound))...])
        }
        for piece in visibleText(bodyText) where !seen.contains(piece) {
            seen.insert(piece)
            rest.append(piece)
        }
        let all = ([title].compactMap { $0 } + [rest.joined(separator: " ")]).filter { !$0.isEmpty }
        guard !all.isEmpty else { return nil }
        return all.joined(separator: " — ")
    }

    /// The text inside the first `<name …>…</name>`, tags removed.
    static func element(_ name: String, in text: String) -> String? {
        let lower = text.lowercased()
        guard let open = lower.range(of: "<\(name)"), let openEnd = lower[open.upperBound...].firstIndex(of: ">"),
              let close = lower.range(of: "</\(name)", range: openEnd..<lower.endIndex) else { return nil }
        let start = text.index(text.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: openEnd) + 1)
        let end = text.index(text.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: close.lowerBound))
        guard start <= end else { return nil }
        let inner = visibleText(String(text[start..<end])).joined(separator: " ")
        return inner.isEmpty ? nil : inner
    }

    /// Runs of text between tags, without scripts, styles and comments; entities decoded; each collapsed.
    static func visibleText(_ html: String) -> [String] {
        var out: [String] = []
        var current = ""
        var i = html.startIndex
        var skipUntil: String?
        func flush() {
            let c = collapse(decodeEntities(current))
            if !c.isEmpty { out.append(c) }
            current = ""
        }
        while i < html.endIndex {
            if let end = skipUntil {
                guard let r = html.range(of: end, options: .caseInsensitive, range: i..<html.endIndex) else { break }
                i = r.upperBound
                skipUntil = nil
                continue
            }
            if html[i] == "<" {
                flush()
                let rest = html[i...].prefix(10).lowercased()
                if rest.hasPrefix("<!--") { skipUntil = "-->"; i = html.index(i, offsetBy: 4); continue }
                if rest.hasPrefix("<script") { skipUntil = "</script>" }
                if rest.hasPrefix("<style") { skipUntil = "</style>" }
                guard let close = html[i...].firstIndex(of: ">") else { break }
                i = html.index(after: close)
                continue
            }
            current.append(html[i])
            i = html.index(after: i)
        }
        flush()
        return out
    }

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
