import Foundation
import Testing
@testable import StageModel

/// One expansion rule for every string value, and what is checked at load (docs/config.md).
@Suite("Config: ${VAR} everywhere, checked at load")
struct ConfigExpansionTests {
    static let caPEM = """
    -----BEGIN CERTIFICATE-----
    MIIBszCCAVmgAwIBAgIUYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowCgYIKoZIzj0EAwIwEjEQMA4GA1UEAwwHdGVzdC1jYTAe
    -----END CERTIFICATE-----

    """

    let env = ["STAGING_JWT": "canary-token-value-123", "REGION": "eu", "PORT": "8443", "TENANT": "acme",
               "API_KEY": "canary-api-key-456", "CHAT_TEXT": "status?", "EMPTY": ""]
    let dir: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-cfg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.caPEM.write(toFile: dir + "/ca-eu.pem", atomically: true, encoding: .utf8)
        try "not a certificate\n".write(toFile: dir + "/junk.pem", atomically: true, encoding: .utf8)
    }

    func load(_ yaml: String, env extra: [String: String] = [:]) throws(ConfigError) -> StageConfig {
        try ConfigLoader.parse(yaml: yaml, file: dir + "/c.yaml", options: ConfigLoadOptions(environment: env.merging(extra) { $1 }))
    }

    func error(_ yaml: String) -> ConfigError? {
        do { _ = try load(yaml); return nil } catch { return error }
    }

    @Test("every kind of string value expands: URLs, paths, headers, bodies, TLS files, resolve, login, WebSocket messages, conditions")
    func expandsEverywhere() throws {
        let c = try load("""
        name: staging-${REGION}
        target:
          base_url: https://api.${REGION}.example.com:${PORT}
          ws_url: wss://ws.${REGION}.example.com/ws
          headers: { X-Tenant: "${TENANT}" }
          tls: { ca_file: "ca-${REGION}.pem" }
          resolve: ["api.${REGION}.example.com:${PORT}:127.0.0.1"]
        auth:
          token: "${STAGING_JWT}"
          login:
            path: /auth/${TENANT}/token
            headers: { X-Region: "${REGION}" }
            body:
              tenant: ${TENANT}
              port: ${PORT}
            token_path: ${TENANT}_token
        probes:
          - name: health_${REGION}
            group: ${TENANT}
            http:
              path: /health/${REGION}
              method: ${METHOD:-get}
              body: { region: "${REGION}" }
            conditions: ["[BODY].region == ${REGION}"]
          - name: full
            stream: { path: "https://other.${REGION}.example.com/stream" }
          - name: burst
            burst: { path: "/api/${TENANT}", requests: 2, within: 1s }
          - name: chat
            websocket:
              path: /ws/${TENANT}
              steps:
                - send: { type: user_message, payload: { content: "${CHAT_TEXT}" } }
                - expect: { type: "${TENANT}_reply" }
        """)
        #expect(c.name == "staging-eu")
        #expect(c.target.baseURL == "https://api.eu.example.com:8443")
        #expect(c.target.wsURL == "wss://ws.eu.example.com/ws")
        #expect(c.target.headers.map(\.value) == ["acme"])
        #expect(c.target.tls.caFile == dir + "/ca-eu.pem", "relative to the config file's folder")
        #expect(c.target.resolve == ["api.eu.example.com:8443:127.0.0.1"])
        #expect(c.auth.login?.path == "/auth/acme/token")
        #expect(c.auth.login?.headers.map(\.value) == ["eu"])
        #expect(c.auth.login?.body == #"{"port":8443,"tenant":"acme"}"#, "a number from a variable is a number")
        #expect(c.auth.login?.tokenPath == "acme_token")
        #expect(c.probes.map(\.name) == ["health_eu", "full", "burst", "chat"])
        #expect(c.probes[0].group == "acme")
        guard case .http(let h) = c.probes[0].body, case .stream(let s) = c.probes[1].body,
              case .burst(let b) = c.probes[2].body, case .websocket(let w) = c.probes[3].body else {
            Issue.record("kinds"); return
        }
        #expect(h.path == "/health/eu" && h.method == "GET" && h.body == #"{"region":"eu"}"#)
        #expect(s.path == "https://other.eu.example.com/stream")
        #expect(b.path == "/api/acme")
        #expect(w.path == "/ws/acme")
        if case .send(let msg) = w.steps[0] { #expect(msg.jsonText.contains("status?")) } else { Issue.record("send step") }
        if case .expect(let match, _) = w.steps[1] { #expect(match.first?.value == .string("acme_reply")) } else { Issue.record("expect step") }
        #expect(c.probes[0].conditions.first?.source.contains("eu") == true)
    }

    @Test("an unset variable is a load error at its line and column, wherever it is")
    func unsetIsAnError() {
        for (yaml, line, column) in [
            ("target: { base_url: http://x, tls: { ca_file: \"${CA_NOPE}\" } }\nprobes: [ { name: a, http: { path: / } } ]", 1, 47),
            ("target: { base_url: http://x }\nprobes:\n  - name: a\n    http:\n      path: /v/${NOPE}", 5, 13),
            ("target: { base_url: http://x }\nprobes:\n  - name: a\n    websocket: { path: /ws, auth: none, steps: [ { send: { t: \"${NOPE}\" } } ] }", 4, 63),
        ] {
            let e = error(yaml)
            #expect(e?.message.contains("is not set") == true, "\(yaml): \(String(describing: e))")
            #expect(e?.location.line == line && e?.location.column == column, "\(String(describing: e?.location))")
            #expect(e?.hint?.contains(":-default") == true)
        }
    }

    @Test("${VAR:-default} gives a default for unset or empty; $${ is a literal ${")
    func defaultsAndEscapes() throws {
        let c = try load("""
        target: { base_url: "http://${HOST:-127.0.0.1}:${EMPTY:-8080}", headers: { X-Literal: "$${NOT_EXPANDED}", X-Set: "${REGION:-us}" } }
        probes: [ { name: a, http: { path: / } } ]
        """)
        #expect(c.target.baseURL == "http://127.0.0.1:8080")
        #expect(c.target.headers.map(\.value) == ["${NOT_EXPANDED}", "eu"])
        #expect(error("target: { base_url: \"http://${BAD NAME}\" }\nprobes: [ { name: a, http: { path: / } } ]")?.message.contains("not a variable") == true)
    }

    @Test("a secret expanded into a URL is shown as its variable, in the repro line and the table's target")
    func secretsStayMasked() throws {
        let c = try load("""
        target: { base_url: "http://127.0.0.1:8080" }
        auth: { token: "${STAGING_JWT}" }
        probes:
          - name: keyed
            http: { path: "/api/health?key=${API_KEY}&region=${REGION}" }
        """)
        #expect(Set(c.secretVariables.map(\.name)) == ["API_KEY", "STAGING_JWT"], "REGION is not a secret")
        let repro = RequestRepro.make(c.probes[0], target: c.target, auth: c.auth, secrets: c.secretVariables)
        #expect(repro.url == "http://127.0.0.1:8080/api/health?key=$API_KEY&region=eu")
        #expect(repro.curl.hasSuffix(#""http://127.0.0.1:8080/api/health?key=$API_KEY&region=eu""#), "double quotes: the shell expands it")
        #expect(!repro.curl.contains("canary-api-key-456"))
        let snap = Store(config: c, startedAt: Date()).snapshot(at: Date())
        #expect(!snap.probes[0].target.contains("canary-api-key-456"))
        #expect(snap.probes[0].target.contains(SecretScrubber.mask))
        #expect(SecretScrubber(secrets: c.secrets).scrub("GET /api/health?key=canary-api-key-456") == "GET /api/health?key=\(SecretScrubber.mask)")
    }

    @Test("a probe's final URL is checked at load: bad host, port, scheme and spaces are config errors at the path")
    func urlsCheckedAtLoad() {
        for (path, words) in [("http://exa mple.com/x", "white space"), ("http://host:99999/x", "port 99999"),
                              ("https://-bad-.example.com/", "invalid host"), ("http://user:pw@host/", "password")] {
            let e = error("target: { base_url: http://x }\nprobes:\n  - name: a\n    http: { path: \"\(path)\" }")
            #expect(e?.message.contains(words) == true, "\(path): \(String(describing: e))")
            #expect(e?.location.line == 4 && e?.location.column == 19, "points at the path")
        }
        let ws = error("target: { base_url: http://x }\nprobes:\n  - name: w\n    websocket: { path: \"wss://bad host/ws\", auth: none }")
        #expect(ws?.message.contains("is not a ws/wss URL: it contains white space") == true, "\(String(describing: ws))")
        let wsHTTP = error("target: { base_url: http://x }\nprobes:\n  - name: w\n    websocket: { path: \"http://x/ws\", auth: none }")
        #expect(wsHTTP?.message.contains("must start with / (or be a full ws(s) URL)") == true)
        let base = error("target: { base_url: \"http://x:0\" }\nprobes: [ { name: a, http: { path: / } } ]")
        #expect(base?.message.contains("port 0") == true)
    }

    @Test("ca_file must exist, be readable and hold PEM; header names are tokens; values are one line")
    func filesAndHeadersCheckedAtLoad() {
        let missing = error("target: { base_url: https://x, tls: { ca_file: nope.pem } }\nprobes: [ { name: a, http: { path: / } } ]")
        #expect(missing?.message.contains("does not exist") == true)
        #expect(missing?.hint?.contains(dir) == true)
        let junk = error("target: { base_url: https://x, tls: { ca_file: junk.pem } }\nprobes: [ { name: a, http: { path: / } } ]")
        #expect(junk?.message.contains("no PEM certificate") == true)
        let header = error("target: { base_url: https://x, headers: { \"X Bad\": v } }\nprobes: [ { name: a, http: { path: / } } ]")
        #expect(header?.message.contains("not a valid header name") == true)
        #expect(error("target: { base_url: https://x, headers: { \"X-Ok.v2\": v } }\nprobes: [ { name: a, http: { path: / } } ]") == nil)
        let crlf = error("target: { base_url: https://x, headers: { X-A: \"a\\r\\nX-Injected: 1\" } }\nprobes: [ { name: a, http: { path: / } } ]")
        #expect(crlf?.message.contains("line break") == true)
    }

    @Test("a probe's tls: overrides the target's key by key; server_name is checked")
    func perProbeTLS() throws {
        let c = try load("""
        target: { base_url: "https://api.example.com", tls: { insecure: true } }
        probes:
          - name: own_ca
            tls: { ca_file: ca-eu.pem, server_name: internal.example.com }
            http: { path: / }
          - name: inherits
            http: { path: / }
        """)
        #expect(c.probes[0].tls == TLSSettings(caFile: dir + "/ca-eu.pem", insecure: true, serverName: "internal.example.com"))
        #expect(c.probes[0].tls(c.target).caFile == dir + "/ca-eu.pem")
        #expect(c.probes[1].tls == nil && c.probes[1].tls(c.target) == c.target.tls)
        let bad = error("target: { base_url: https://x }\nprobes: [ { name: a, tls: { server_name: \"a b\" }, http: { path: / } } ]")
        #expect(bad?.message.contains("not a host name") == true)
    }
}

@Suite("--only / --skip")
struct ProbeSelectionTests {
    let config = StageConfig(name: "t", target: TargetConfig(baseURL: "http://127.0.0.1:9"), probes: [
        ProbeSpec(name: "chat_ws", group: "websocket", body: .websocket(WebSocketProbeSpec())),
        ProbeSpec(name: "chat_stream", group: "streaming", body: .stream(StreamProbeSpec(path: "/s"))),
        ProbeSpec(name: "health", group: "core", body: .http(HTTPProbeSpec(path: "/health"))),
        ProbeSpec(name: "burst", group: "core", body: .burst(BurstProbeSpec(path: "/b", requests: 2, within: .s(1)))),
    ])

    func names(_ s: ProbeSelection) -> [String]? { s.apply(to: config)?.probes.map(\.name) }

    @Test("globs match a probe's name, group or kind; --skip wins over --only; the subset is recorded")
    func selects() {
        #expect(names(ProbeSelection(only: ["chat_*"])) == ["chat_ws", "chat_stream"])
        #expect(names(ProbeSelection(only: ["core"])) == ["health", "burst"])
        #expect(names(ProbeSelection(only: ["stream"])) == ["chat_stream"], "a kind")
        #expect(names(ProbeSelection(only: ["chat_*"], skip: ["websocket"])) == ["chat_stream"])
        #expect(names(ProbeSelection(skip: ["h?alth"])) == ["chat_ws", "chat_stream", "burst"])
        #expect(names(ProbeSelection(only: ["nothing"])) == nil)
        #expect(ProbeSelection().apply(to: config)?.subset == nil, "everything: not a subset")
        let sub = ProbeSelection(only: ["core"]).apply(to: config)?.subset
        #expect(sub == ProbeSubset(selected: 2, total: 4, only: ["core"]))
        #expect(sub?.description == "subset: 2 of 4 probes (--only core)")
        let snap = Store(config: ProbeSelection(only: ["core"]).apply(to: config)!, startedAt: Date()).snapshot(at: Date())
        #expect(snap.subset?.selected == 2 && snap.summary.total == 2, "the pass rate is the subset's, and says so")
    }

    @Test("selection globs are case-sensitive, as probe names are")
    func caseSensitive() {
        #expect(ProbeSelection(only: ["Chat*"]).apply(to: config) == nil)
        #expect(ProbeSelection(only: ["*_ws"]).apply(to: config)?.probes.map(\.name) == ["chat_ws"])
    }
}
