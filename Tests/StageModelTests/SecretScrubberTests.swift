import Foundation
import Testing
@testable import StageModel

@Suite struct SecretScrubberTests {
    @Test func knownSecretsAndJWTShapesAreMasked() {
        let s = SecretScrubber(secrets: ["canary-secret-123", "short"])
        #expect(s.scrub("token canary-secret-123 here") == "token •••• here")
        #expect(s.scrub("short stays") == "short stays", "strings under 8 characters are not treated as secrets")
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
        #expect(s.scrub(#"{"access_token":"\#(jwt)","token_type":"bearer"}"#) == #"{"access_token":"••••","token_type":"bearer"}"#)
        #expect(s.scrub("eyJ alone is fine, so is a.b.c") == "eyJ alone is fine, so is a.b.c")
        #expect(s.scrub("keyJunk.x.y") == "keyJunk.x.y", "eyJ inside a word is not a token start")
    }

    @Test func resultsAreScrubbedEverywhere() {
        let s = SecretScrubber(secrets: ["canary-secret-123"])
        let r = ProbeResult(probe: "p", kind: .http, verdict: .fail, failureClass: .auth, message: "401 bad canary-secret-123",
                            conditions: [ConditionResult(expr: "[BODY].t == x", ok: false, actual: "canary-secret-123")],
                            response: ResponseCapture(status: 401, headers: [("X-Echo", "canary-secret-123")], body: Array("canary-secret-123".utf8), bodyBytes: 17),
                            startedAt: Date(), finishedAt: Date())
        let clean = s.scrub(r)
        let all = [clean.message, clean.conditions[0].actual, clean.response!.headers[0].value, clean.response!.bodyText].joined()
        #expect(!all.contains("canary"))
        #expect(clean.response?.bodyBytes == 17, "the real size is still reported")
    }
}
