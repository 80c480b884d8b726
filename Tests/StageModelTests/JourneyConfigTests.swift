import Testing
@testable import StageModel

/// A journey's config: captures and `{{name}}` are checked at load, with file:line:col at the place.
@Suite struct JourneyConfigTests {
    func load(_ probes: String) throws(ConfigError) -> StageConfig {
        try ConfigLoader.parse(yaml: """
        name: j
        target: { base_url: "http://127.0.0.1:8080" }
        auth: { token: "${TOKEN}" }
        probes:
        \(probes)
        """, file: "j.yaml", options: ConfigLoadOptions(environment: ["TOKEN": "tok-123456789"]))
    }

    func error(_ probes: String) -> ConfigError? {
        do { _ = try load(probes); return nil } catch { return error }
    }

    @Test("steps, captures and conditions load; secrets are told by their field or header name")
    func loads() throws {
        let c = try load("""
          - name: trip
            journey:
              steps:
                - name: login
                  http: { method: POST, path: /auth/e2e/token }
                  capture: { token: "[BODY].access_token", user: "[BODY].user.id", where: "[HEADER].Location", code: "[STATUS]" }
                - name: read
                  http: { path: "/api/users/{{user}}", headers: { Authorization: "Bearer {{token}}" } }
                  conditions: ["[BODY].id == {{user}}"]
                - name: chat
                  websocket: { path: "/ws?u={{user}}", auth: none, steps: [ { send: { user: "{{user}}" } }, { expect: {} } ] }
        """)
        guard case .journey(let j) = c.probes[0].body else { Issue.record("not a journey"); return }
        #expect(j.steps.map(\.name) == ["login", "read", "chat"])
        #expect(j.steps.map(\.body.kind) == [.http, .http, .websocket])
        #expect(j.steps[0].captures.map(\.name) == ["token", "user", "where", "code"])
        #expect(j.steps[0].captures.map(\.secret) == [true, false, false, false])
        #expect(c.probes[0].usesToken == false, "no step asks for the session's token")
        #expect(c.probes[0].kind == .journey)
        #expect(JourneyProbeSpec.kind == .journey)
        #expect(j.targetDescription == "3 steps: login → read → chat")
    }

    @Test("{{name}} that no earlier step captures: a config error at the {{, naming what is captured")
    func unknownName() {
        let probes = """
          - name: trip
            journey:
              steps:
                - name: create
                  http: { method: POST, path: /api/threads }
                  capture: { thread_id: "[BODY].id" }
                - name: read
                  http: { path: "/api/threads/{{thread}}" }
        """
        let e = error(probes)
        // Line 12 of the file (4 lines before `probes:`'s items); the column of the `{{`, 1-based.
        let line = probes.split(separator: "\n", omittingEmptySubsequences: false)[7]
        let column = line.distance(from: line.startIndex, to: line.range(of: "{{")!.lowerBound) + 1
        #expect(e?.location == SourceLocation(file: "j.yaml", line: 12, column: column), "\(String(describing: e))")
        #expect(e?.message == "step 'read' uses {{thread}}, which no earlier step captures")
        #expect(e?.hint == "earlier steps capture: {{thread_id}}")
    }

    @Test("a step's own capture is not visible to its own request or conditions; a later step's never")
    func ownAndLaterCaptures() {
        let own = error("""
          - name: trip
            journey:
              steps:
                - name: create
                  http: { method: POST, path: /api/threads }
                  capture: { id: "[BODY].id" }
                  conditions: ["[BODY].id == {{id}}"]
        """)
        #expect(own?.message == "step 'create' uses {{id}}, which no earlier step captures")
        #expect(own?.location.line == 11)
        let later = error("""
          - name: trip
            journey:
              steps:
                - name: first
                  http: { path: "/a/{{later}}" }
                - name: second
                  http: { path: /b }
                  capture: { later: "[STATUS]" }
        """)
        #expect(later?.hint?.contains("no earlier step captures anything") == true)
        #expect(later?.location.line == 9)
    }

    @Test("what a journey refuses at load, each with its place")
    func refusals() {
        let cases: [(String, String, Int)] = [
            ("""
              - name: t
                journey:
                  steps:
                    - name: ws
                      websocket: { hold: true }
            """, "a journey step cannot hold its WebSocket open", 9),
            ("""
              - name: t
                journey:
                  steps:
                    - name: b
                      burst: { path: /x, requests: 2, within: 1s }
            """, "unknown key 'burst'", 0),
            ("""
              - name: t
                conditions: ["[STATUS] == 200"]
                journey:
                  steps:
                    - name: a
                      http: { path: /a }
            """, "a journey probe's conditions go on its steps", 6),
            ("""
              - name: t
                journey:
                  steps:
                    - name: a
                      http: { path: /a }
                      capture: { 2x: "[STATUS]" }
            """, "capture name '2x' must be a word", 10),
            ("""
              - name: t
                journey:
                  steps:
                    - name: a
                      http: { path: /a }
                      capture: { x: "[BOD].id" }
            """, "bad capture: unknown placeholder [BOD]", 10),
            ("""
              - name: t
                journey:
                  steps:
                    - name: a
                      http: { path: /a }
                      capture: { x: "just text" }
            """, "capture x must be a placeholder, not 'just text'", 10),
            ("""
              - name: t
                journey:
                  steps:
                    - name: a
                      http: { path: /a }
                    - name: a
                      http: { path: /b }
            """, "step name 'a' is used twice in journey 't'", 10),
            ("""
              - name: t
                journey:
                  steps:
                    - name: a
                      http: { path: /a }
                      capture: { x: "[STATUS]" }
                    - name: b
                      http: { path: "http://bad host/{{x}}" }
            """, "probe 't' step 'b': its URL 'http://bad host/x' is not a http/https URL: it contains white space", 11),
            ("""
              - name: t
                journey: { steps: [] }
            """, "journey 't' has no steps", 6),
        ]
        for (yaml, message, line) in cases {
            let e = error(yaml)
            #expect(e != nil, "\(yaml)")
            if !message.isEmpty { #expect(e?.message.contains(message) == true, "\(message) vs \(String(describing: e?.message))") }
            if line > 0 { #expect(e?.location.line == line, "\(message): \(String(describing: e))") }
        }
    }

    @Test("filling: paths percent-encode, JSON bodies escape inside strings, conditions parse again")
    func filling() throws {
        let values = ["id": "a/b c", "quote": "say \"hi\""]
        let http = JourneyStepBody.http(HTTPProbeSpec(method: "POST", path: "/t/{{id}}?q={{ id }}", headers: [("X-Id", "{{id}}")],
                                                      body: #"{"note":"{{quote}}","n":1}"#))
        guard case .http(let s) = http.filled(values) else { Issue.record("kind changed"); return }
        #expect(s.path == "/t/a%2Fb%20c?q=a%2Fb%20c")
        #expect(s.headers.first?.value == "a/b c")
        #expect(JSONValue.parse(s.body ?? "") == .object(["note": .string("say \"hi\""), "n": .number(1)]))
        let c = try ConditionParser.parse("[BODY].id == {{id}}")
        #expect(try c.filled(["id": "thread-4"]).get() == ConditionParser.parse("[BODY].id == thread-4"))
        #expect(JourneyTemplate.references(in: "a {{x}} b {{ y }} {{unclosed").map(\.name) == ["x", "y"])
        #expect(JourneyTemplate.fill("{{x}}{{missing}}", ["x": "1"]) == "1{{missing}}")
    }
}
