import Testing
@testable import StageModel

@Suite struct RequestReproTests {
    @Test func curlUsesPlaceholdersNeverSecrets() throws {
        let c = try ConfigLoader.parse(yaml: """
        target:
          base_url: https://api.staging.example.com
          headers: { X-Client: stagetop, X-Api-Key: "${API_KEY}" }
          tls: { insecure: true }
        auth: { token: "${STAGING_JWT}" }
        probes:
          - name: p
            http: { method: POST, path: /api/agents/start, auth: bearer, body: { agent_type: "it's" } }
        """, options: ConfigLoadOptions(environment: ["STAGING_JWT": "canary-jwt", "API_KEY": "canary-key"]))
        let r = RequestRepro.make(c.probes[0], target: c.target, auth: c.auth)
        #expect(r.url == "https://api.staging.example.com/api/agents/start")
        #expect(r.method == "POST")
        #expect(!r.curl.contains("canary"))
        #expect(!r.headers.map(\.1).joined().contains("canary"))
        #expect(r.curl.contains(#"-H "Authorization: Bearer $STAGING_JWT""#))
        #expect(r.curl.contains(#"-H "X-Api-Key: $X_API_KEY""#))
        #expect(r.curl.contains("-H 'X-Client: stagetop'"))
        #expect(r.curl.contains("-X POST"))
        #expect(r.curl.contains("-k"))
        #expect(r.curl.contains(#"--data '{"agent_type":"it'\''s"}'"#))
        #expect(r.curl.hasSuffix("https://api.staging.example.com/api/agents/start"))
    }

    @Test func literalTokenGetsGenericPlaceholder() {
        #expect(RequestRepro.tokenPlaceholder(AuthConfig(token: Secret("x"), tokenSource: "x")) == "$STAGETOP_TOKEN")
        #expect(RequestRepro.tokenPlaceholder(AuthConfig(token: Secret("x"), tokenSource: "${T}")) == "$T")
    }
}
