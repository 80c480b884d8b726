import Foundation

/// What can be known about a URL, a host name or a header name before anything is sent.
enum URLCheck {
    /// Why `s` will not work as a URL with one of `schemes`, or nil when it will.
    static func problem(_ s: String, schemes: [String]) -> String? {
        guard !s.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return "contains white space (write %20)" }
        guard let c = URLComponents(string: s) else { return "is not a valid URL" }
        guard let scheme = c.scheme?.lowercased() else { return "has no scheme (\(schemes.joined(separator: "/"))://)" }
        guard schemes.contains(scheme) else { return "has scheme '\(scheme)', expected \(schemes.joined(separator: " or "))" }
        guard let host = c.host, !host.isEmpty else { return "has no host" }
        // URLComponents keeps an IPv6 literal's brackets out of `host`; a name must be a host name.
        if !s.contains("[") && !isHostName(host) { return "has an invalid host '\(host)'" }
        if let port = c.port, !(1...65535).contains(port) { return "has port \(port), outside 1–65535" }
        if c.user != nil || c.password != nil { return "carries a user name or password (put credentials in headers or auth)" }
        return nil
    }

    /// A DNS name or an IPv4 address: labels of letters, digits and '-', not starting or ending with '-'.
    static func isHostName(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 253 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }

    /// An HTTP field name: an RFC 9110 token.
    static func isHeaderName(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "!#$%&'*+-.^_`|~".contains($0)) }
    }
}
