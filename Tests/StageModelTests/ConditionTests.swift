import Testing
@testable import StageModel

@Suite struct ConditionTests {
    func eval(_ expr: String, _ obs: Observation) throws -> ConditionResult {
        try Conditions.evaluate([ConditionParser.parse(expr)], obs)[0]
    }

    let body = Array(#"{"status":"healthy","services":[{"name":"a"},{"name":"b"}],"n":3,"ok":true}"#.utf8)

    @Test func statusAndLatency() throws {
        let o = Observation(status: 200, responseTimeMs: 82.7, ttfbMs: 80)
        #expect(try eval("[STATUS] == 200", o).ok)
        #expect(try eval("[STATUS] == 200", o).actual == "200")
        #expect(try !eval("[STATUS] != 200", o).ok)
        #expect(try eval("[RESPONSE_TIME] < 300ms", o).ok)
        #expect(try !eval("[RESPONSE_TIME] < 50ms", o).ok)
        #expect(try eval("[RESPONSE_TIME] < 50ms", o).actual == "82.7ms")
        #expect(try eval("[RESPONSE_TIME] <= 1s", o).ok)
        #expect(try eval("[TTFB] >= 80", o).ok)
        #expect(try eval("[STATUS] == any(200, 429)", o).ok)
        #expect(try !eval("[STATUS] == any(201, 429)", Observation(status: 404)).ok)
        #expect(try eval("[STATUS] == pat(2*)", o).ok)
    }

    @Test func bodyPaths() throws {
        let o = Observation(status: 200, body: body)
        #expect(try eval("[BODY].status == healthy", o).ok)
        #expect(try eval("[BODY].services[1].name == b", o).ok)
        #expect(try eval("len([BODY].services) >= 1", o).ok)
        #expect(try eval("len([BODY].services) == 2", o).actual == "2")
        #expect(try eval("has([BODY].n) == true", o).ok)
        #expect(try eval("has([BODY].missing) == false", o).ok)
        #expect(try eval("[BODY].ok == true", o).ok)
        #expect(try eval("[BODY].n > 2", o).ok)
        let missing = try eval("[BODY].nope == x", o)
        #expect(!missing.ok)
        #expect(missing.actual == "<missing>")
        #expect(try eval("[BODY] contains healthy", Observation(body: Array("all healthy".utf8))).ok)
    }

    @Test func headersStatusesEvents() throws {
        let o = Observation(statuses: [200: 38, 429: 12], headers: [("Content-Type", "application/json")], events: ["agent_started", "agent_completed"])
        #expect(try eval("[HEADER].content-type == pat(application/*)", o).ok)
        #expect(try eval("[STATUSES] contains 429", o).ok)
        #expect(try !eval("[STATUSES] contains 404", o).ok)
        #expect(try eval("len([STATUSES]) == 50", o).ok)
        #expect(try eval("[EVENTS] contains agent_completed", o).ok)
        #expect(try eval("[CLOSE_CODE] == 1011", Observation(closeCode: 1011)).ok)
        #expect(try !eval("[CLOSE_CODE] == 1000", Observation()).ok)
    }

    @Test func parseErrors() {
        func err(_ s: String) -> ConditionParser.ParseError? {
            do { _ = try ConditionParser.parse(s); return nil } catch { return error }
        }
        #expect(err("[STATUS] 200")?.message.contains("no comparison operator") == true)
        #expect(err("[STATUS == 200")?.message.contains("no comparison operator") == true)
        #expect(err("[NOPE] == 1")?.offset == 0)
        #expect(err("[STATUS] == [BODI].x")?.offset == 12)
        #expect(err("len([BODY] == 2")?.message != nil)
        #expect(err("1 == 2")?.message.contains("two constants") == true)
        #expect(err("[STATUS].x == 1")?.message.contains("has no fields") == true)
        #expect(err("[HEADER] == x")?.message.contains("needs a header name") == true)
    }

    @Test func glob() {
        #expect(Conditions.globMatch("a*c", "abbbc"))
        #expect(Conditions.globMatch("a?c", "abc"))
        #expect(!Conditions.globMatch("a?c", "abbc"))
        #expect(Conditions.globMatch("*", ""))
        #expect(!Conditions.globMatch("abc", "abcd"))
    }
}

@Suite struct JudgeTests {
    func spec(_ conds: [String]) throws -> ProbeSpec {
        ProbeSpec(name: "p", body: .http(HTTPProbeSpec(path: "/")), conditions: try conds.map { try ConditionParser.parse($0) })
    }

    func judge(_ conds: [String], status: Int, body: String = "", ms: Double = 10) throws -> (Verdict, FailureClass?) {
        let s = try spec(conds)
        let r = Conditions.evaluate(s.conditions, Observation(status: status, responseTimeMs: ms, body: Array(body.utf8)))
        return Judge.http(spec: s, status: status, followRedirects: false, conditions: r)
    }

    @Test func noConditions() throws {
        #expect(try judge([], status: 200) == (.pass, nil))
        #expect(try judge([], status: 307) == (.fail, .redirect))
        #expect(try judge([], status: 404) == (.fail, .route))
        #expect(try judge([], status: 405) == (.fail, .route))
        #expect(try judge([], status: 500) == (.fail, .server))
        #expect(try judge([], status: 401) == (.fail, .auth))
        #expect(try judge([], status: 403) == (.fail, .auth))
        #expect(try judge([], status: 429) == (.fail, .rateLimit))
    }

    @Test func withConditions() throws {
        #expect(try judge(["[STATUS] == 200"], status: 307) == (.fail, .redirect))
        #expect(try judge(["[BODY].status == healthy"], status: 307) == (.fail, .redirect))
        #expect(try judge(["[STATUS] == any(200, 429)"], status: 404) == (.fail, .route))
        #expect(try judge(["[STATUS] == 429"], status: 429) == (.pass, nil))
        #expect(try judge(["[STATUS] == 404"], status: 404) == (.pass, nil))
        #expect(try judge(["[STATUS] == 200", "[RESPONSE_TIME] < 50ms"], status: 200, ms: 80) == (.fail, .condition))
        #expect(try judge(["[STATUS] == 200", "[BODY].status == healthy"], status: 200, body: #"{"state":"x"}"#) == (.fail, .schema))
        #expect(try judge(["[STATUS] == 200", "[BODY].status == healthy"], status: 200, body: #"{"status":"degraded"}"#) == (.fail, .condition))
        #expect(try judge(["[STATUS] == 200"], status: 201) == (.fail, .condition))
    }
}
