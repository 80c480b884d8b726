import Testing
@testable import StageModel

@Suite struct ConfigLoaderTests {
    let env = ["STAGING_JWT": "canary-token-value-123", "E2E_BYPASS_KEY": "k"]

    func load(_ yaml: String, allowMissingToken: Bool = false) throws(ConfigError) -> StageConfig {
        try ConfigLoader.parse(yaml: yaml, file: "c.yaml", options: ConfigLoadOptions(environment: env, allowMissingToken: allowMissingToken))
    }

    func error(_ yaml: String) -> ConfigError? {
        do { _ = try load(yaml); return nil } catch { return error }
    }

    @Test func fullConfigLoads() throws {
        let c = try load("""
        name: netra-staging
        target:
          base_url: https://api.staging.example.com
          headers: { X-Client: stagetop }
          tls: { insecure: true }
          resolve: ["api.staging.example.com:443:127.0.0.1"]
        auth:
          token: ${STAGING_JWT}
        defaults:
          interval: 10s
          timeout: 750ms
        probes:
          - name: backend_health
            group: health
            http: { method: GET, path: /health, follow_redirects: false }
            conditions:
              - "[STATUS] == 200"
              - "[RESPONSE_TIME] < 300ms"
          - name: discovery
            timeout: 2s
            http: { path: /api/discovery/services, auth: bearer, body: { a: 1 } }
          - name: ws
            websocket:
              auth: subprotocol
              steps:
                - expect: { type: system_message, data.event: connection_established }
                  within: 5s
                - send: { type: user_message, payload: { content: "hi" } }
          - name: chat_stream
            stream: { method: POST, path: /api/chat/stream, first_byte_within: 5s, max_gap: 10s }
          - name: rate
            burst: { path: /api/health, requests: 50, within: 2s }
            conditions: ["[STATUSES] contains 429"]
        """)
        #expect(c.name == "netra-staging")
        #expect(c.target.headers.first?.name == "X-Client")
        #expect(c.target.tls.insecure)
        #expect(c.auth.token?.value == "canary-token-value-123")
        #expect(c.auth.tokenSource == "${STAGING_JWT}")
        #expect(c.probes.count == 5)
        #expect(c.probes[0].timeout == .ms(750))
        #expect(c.probes[1].timeout == .s(2))
        #expect(c.probes[0].conditions.count == 2)
        guard case .http(let h) = c.probes[1].body else { Issue.record("not http"); return }
        #expect(h.auth == .bearer)
        #expect(h.body == #"{"a":1}"#)
        guard case .websocket(let w) = c.probes[2].body else { Issue.record("not ws"); return }
        #expect(w.steps.count == 2)
        if case .expect(let match, let within) = w.steps[0] {
            #expect(match.map(\.key) == ["type", "data.event"])
            #expect(within == .s(5))
        } else { Issue.record("step 0 is not expect") }
        #expect(c.probes[3].kind == .stream)
        #expect(c.probes[4].kind == .burst)
        #expect(c.target.effectiveWSURL == "wss://api.staging.example.com/ws")
    }

    @Test func secretNeverPrints() throws {
        let c = try load("target: { base_url: http://x }\nauth: { token: '${STAGING_JWT}' }\nprobes: [ { name: a, http: { path: /, auth: bearer } } ]")
        #expect(!"\(c.auth)".contains("canary"))
        #expect(!String(reflecting: c.auth.token!).contains("canary"))
    }

    @Test func unknownKeyNamesLineColumnAndHint() {
        let e = error("""
        target:
          base_url: http://x
        probes:
          - name: a
            http: { path: /, folow_redirects: true }
        """)
        #expect(e?.location == SourceLocation(file: "c.yaml", line: 5, column: 22))
        #expect(e?.message.contains("unknown key 'folow_redirects'") == true)
        #expect(e?.hint == "did you mean 'follow_redirects'?")
        #expect(e?.description.hasPrefix("c.yaml:5:22: error:") == true)
    }

    @Test func badYAMLNamesPosition() {
        let e = error("target:\n  base_url: http://x\nprobes:\n  - name: [unclosed\n")
        #expect(e?.location.file == "c.yaml")
        #expect((e?.location.line ?? 0) >= 4)
        #expect(e?.message.contains("invalid YAML") == true)
    }

    @Test func badDurationPointsAtValue() {
        let e = error("target: { base_url: http://x }\ndefaults:\n  interval: 5 sec\nprobes: [ { name: a, http: { path: / } } ]")
        #expect(e?.location.line == 3)
        #expect(e?.location.column == 13)
        #expect(e?.message == "bad duration '5 sec' for defaults.interval")
    }

    @Test func badConditionPointsInsideExpression() {
        let e = error("""
        target: { base_url: http://x }
        probes:
          - name: a
            http: { path: / }
            conditions:
              - "[STATS] == 200"
        """)
        #expect(e?.location.line == 6)
        #expect(e?.location.column == 10)
        #expect(e?.message == "bad condition: unknown placeholder [STATS]")
        #expect(e?.hint == "did you mean [STATUS]?")
    }

    @Test func missingEnvVariableIsError() {
        let e = error("target: { base_url: http://x }\nauth: { token: '${NOPE}' }\nprobes: [ { name: a, http: { path: / } } ]")
        #expect(e?.message == "environment variable NOPE is not set")
        #expect(e?.location.line == 2)
    }

    @Test func missingTokenAllowedUnderSim() throws {
        let c = try load("target: { base_url: http://x }\nauth: { token: '${NOPE}' }\nprobes: [ { name: a, http: { path: / } } ]", allowMissingToken: true)
        #expect(c.auth.token == nil)
        #expect(c.auth.tokenSource == "${NOPE}")
    }

    @Test func structuralErrors() {
        #expect(error("probes: []")?.message == "the config is missing 'target'")
        #expect(error("target: { base_url: ftp://x }\nprobes: [ { name: a, http: { path: / } } ]")?.message.contains("is not a http/https URL") == true)
        #expect(error("target: { base_url: http://x }\nprobes: [ { name: a } ]")?.message == "probe 'a' says nothing to do")
        #expect(error("target: { base_url: http://x }\nprobes: [ { name: a, http: { path: / }, burst: { path: /, requests: 2, within: 1s } } ]")?.message == "probe 'a' has both http and burst")
        #expect(error("target: { base_url: http://x }\nprobes: [ { name: a, http: { path: / } }, { name: a, http: { path: / } } ]")?.message == "probe name 'a' is used twice")
        #expect(error("target: { base_url: http://x }\nprobes: [ { name: a, http: { path: x } } ]")?.message.contains("must start with /") == true)
        #expect(error("target: { base_url: http://x }\nprobes: [ { name: a, http: { path: /, method: FETCH } } ]")?.message == "unknown HTTP method 'FETCH'")
        #expect(error("target: { base_url: http://x }\nprobes: [ { name: a, http: { path: /, auth: bearer } } ]")?.message.contains("has no auth.token") == true)
        #expect(error("target: { base_url: http://x }\nprobes: [ { name: a, http: { path: / }, enabled: maybe } ]")?.message == "enabled must be true or false, not 'maybe'")
        #expect(error("")?.message == "the config is empty")
    }

    @Test func durations() {
        #expect(Duration.parse("250ms") == .ms(250))
        #expect(Duration.parse("5s") == .s(5))
        #expect(Duration.parse("1.5s") == .s(1.5))
        #expect(Duration.parse("2m") == .s(120))
        #expect(Duration.parse("5") == nil)
        #expect(Duration.parse("s") == nil)
        #expect(Duration.parse("-1s") == nil)
        #expect(Duration.parse("5 sec") == nil)
    }
}
