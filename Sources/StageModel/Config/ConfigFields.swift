import Foundation

/// The field readers every part of the config shares: paths, methods, auth modes, headers and bodies
/// (every string value is `${VAR}`-expanded by `YNode.string`). The top-level `Builder` and each kind's `parse` (Kinds/<Kind>/) use the same ones,
/// so a header or a method is checked the same way wherever it is written.
struct ConfigFields {
    let file: String
    let options: ConfigLoadOptions

    func path(_ m: YMap, probe: String) throws(ConfigError) -> String {
        let n = try m.required("path")
        let p = try n.string("path")
        guard p.hasPrefix("/") || p.hasPrefix("http://") || p.hasPrefix("https://") else {
            throw n.error("path '\(p)' must start with / (or be a full http(s) URL)")
        }
        return p
    }

    func method(_ n: YNode?, default d: String) throws(ConfigError) -> String {
        guard let n else { return d }
        let v = try n.string("method").uppercased()
        guard ConfigLoader.methods.contains(v) else {
            throw n.error("unknown HTTP method '\(v)'", hint: "one of: \(ConfigLoader.methods.joined(separator: ", "))")
        }
        return v
    }

    func httpAuth(_ n: YNode?) throws(ConfigError) -> HTTPAuthMode {
        guard let n else { return .none }
        let v = try n.string("auth")
        guard let mode = HTTPAuthMode(rawValue: v) else { throw n.error("unknown auth '\(v)'", hint: "one of: bearer, none") }
        return mode
    }

    func headers(_ n: YNode, _ what: String) throws(ConfigError) -> HeaderList {
        guard case .mapping = n.node else { throw n.error("\(what) must be a mapping of Name: value") }
        let m = try n.mapping(what, allowed: n.mappingKeys)
        var out: HeaderList = []
        for e in m.entries {
            guard URLCheck.isHeaderName(e.key) else {
                throw e.keyNode.error("'\(e.key)' is not a valid header name", hint: "letters, digits and !#$%&'*+-.^_`|~ only (RFC 9110 token)")
            }
            let value = try e.value.string("header \(e.key)")
            // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
            guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw e.value.error("header \(e.key) holds a line break", hint: "a header value is one line")
            }
            out.append((e.key, value))
        }
        return out
    }

    /// `tls:` of the target or of a probe, each key overriding `base` (the target's, for a probe).
    func tls(_ n: YNode, _ what: String, over base: TLSSettings) throws(ConfigError) -> TLSSettings {
        let m = try n.mapping(what, allowed: ["ca_file", "insecure", "server_name"])
        var tls = base
        if let c = m["ca_file"] { tls.caFile = try caFile(c) }
        if let i = m["insecure"] { tls.insecure = try i.bool("tls.insecure") }
        if let sn = m["server_name"] {
            let name = try sn.string("tls.server_name")
            guard URLCheck.isHostName(name) else { throw sn.error("tls.server_name '\(name)' is not a host name", hint: "e.g. api.staging.example.com") }
            tls.serverName = name
        }
        return tls
    }

    /// A CA file: relative to the config file's folder, and it must exist, be readable, and hold PEM
    /// certificates — found now, not as a TLS error on every run.
    func caFile(_ n: YNode) throws(ConfigError) -> String {
        let raw = try n.string("tls.ca_file")
        let path = try existingFile(raw, n, "tls.ca_file")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw n.error("tls.ca_file '\(raw)' cannot be read", hint: "check its permissions")
        }
        guard String(decoding: data, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            throw n.error("tls.ca_file '\(raw)' holds no PEM certificate", hint: "it must contain -----BEGIN CERTIFICATE----- blocks (convert DER with: openssl x509 -inform der -in FILE -out FILE.pem)")
        }
        return path
    }

    /// `target.openapi`: an http(s) URL, or a file relative to the config file's folder that must exist (a
    /// missing file is this config's mistake; a URL that cannot be fetched is the staging's, said at run time).
    func openapi(_ n: YNode) throws(ConfigError) -> OpenAPILocation {
        let raw = try n.string("target.openapi")
        let lower = raw.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            if let problem = URLCheck.problem(raw, schemes: ["http", "https"]) {
                throw n.error("target.openapi '\(raw)' is not an http/https URL: it \(problem)", hint: "e.g. https://api.staging.example.com/openapi.json")
            }
            return OpenAPILocation(value: raw, isURL: true, setAt: n.location)
        }
        if raw.contains("://") {
            throw n.error("target.openapi '\(raw)' is neither an http(s) URL nor a file", hint: "e.g. https://api.staging.example.com/openapi.json or ./openapi.yaml")
        }
        let path = try existingFile(raw, n, "target.openapi")
        return OpenAPILocation(value: path, isURL: false, setAt: n.location)
    }

    /// A request body: a mapping/list becomes JSON, a string is sent as written.
    func body(_ n: YNode) throws(ConfigError) -> String {
        if case .scalar = n.node { return try n.string("body") }
        return try n.json().jsonText
    }

    /// A condition, with a parse error pointing at the character inside the expression, not just the line.
    func condition(_ n: YNode) throws(ConfigError) -> Condition {
        let text = try n.string("a condition")
        do {
            return try ConditionParser.parse(text)
        } catch {
            let loc = SourceLocation(file: file, line: n.location.line, column: n.contentColumn + error.offset)
            throw ConfigError(loc, "bad condition: \(error.message)", hint: error.hint)
        }
    }

    /// A file named in the config: relative to the config file's folder, and it must exist and not be a folder.
    private func existingFile(_ raw: String, _ n: YNode, _ what: String) throws(ConfigError) -> String {
        let path: String
        if raw.hasPrefix("/") || file == "<inline>" {
            path = raw
        } else {
            path = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(raw).standardizedFileURL.path
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw n.error("\(what) '\(raw)' does not exist", hint: raw == path ? nil : "looked for \(path) (relative to the config file)")
        }
        return path
    }
}
