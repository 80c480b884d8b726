import Foundation
import StageModel
import StageTestSupport
import Testing
@testable import StageProbes

/// gatus's documented condition examples and semantics (its README's condition table, placeholder and
/// function tables, and the behaviour its own condition tests pin), written here in our own words and
/// values, each run through the real evaluator on a real response: a loopback server answers each case's
/// body and status, real libcurl fetches it, the HTTP probe runner judges it. `gatus` is the outcome gatus
/// gives; where stagetop differs on purpose the case says `differs:` and docs/config.md ("Coming from gatus")
/// says why.
@Suite("gatus compatibility: conditions evaluate as gatus documents them", .serialized)
struct GatusConditionCompatTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var condition: String
        var body: String
        var status: Int = 200
        var gatus: Bool
        /// stagetop's outcome when it differs from gatus on purpose.
        var differs: Bool? = nil
        var testDescription: String { "\(condition) on \(status) \(body.prefix(40))" }
        var expected: Bool { differs ?? gatus }
    }

    static let cases: [Case] = [
        // README, "Conditions": the examples table.
        Case(condition: "[STATUS] == 200", body: "ok", gatus: true),
        Case(condition: "[STATUS] == 200", body: "no", status: 404, gatus: false),
        Case(condition: "[STATUS] < 300", body: "", status: 204, gatus: true),
        Case(condition: "[STATUS] < 300", body: "", status: 302, gatus: false),
        Case(condition: "[STATUS] <= 299", body: "x", status: 299, gatus: true),
        Case(condition: "[STATUS] > 400", body: "x", status: 403, gatus: true),
        Case(condition: "[STATUS] > 400", body: "x", status: 400, gatus: false),
        Case(condition: "[STATUS] == any(200, 429)", body: "x", status: 429, gatus: true),
        Case(condition: "[STATUS] == any(200, 429)", body: "x", status: 201, gatus: false),
        Case(condition: "[CONNECTED] == true", body: "x", gatus: true),
        Case(condition: "[RESPONSE_TIME] < 5000", body: "x", gatus: true),
        Case(condition: "[IP] == 127.0.0.1", body: "x", gatus: true),
        Case(condition: "[BODY] == 1", body: "1", gatus: true),
        Case(condition: "[BODY] == 1", body: "{}", gatus: false),
        Case(condition: "[BODY].owner.login == octo", body: #"{"owner":{"login":"octo"}}"#, gatus: true),
        Case(condition: "[BODY].items[0].id == 7", body: #"{"items":[{"id":7},{"id":8}]}"#, gatus: true),
        Case(condition: "[BODY].width == [BODY].height", body: #"{"width":3,"height":3}"#, gatus: true),
        Case(condition: "len([BODY].items) < 5", body: #"{"items":[{"id":1}]}"#, gatus: true),
        Case(condition: "len([BODY].login) == 9", body: #"{"login":"ada.byron"}"#, gatus: true),
        Case(condition: "len([BODY].login) == 9", body: #"{"login":"ada"}"#, gatus: false),
        Case(condition: "has([BODY].errors) == false", body: #"{"login":"ada"}"#, gatus: true),
        Case(condition: "has([BODY].errors) == false", body: #"{"errors":[]}"#, gatus: false),
        Case(condition: "has([BODY].users) == true", body: #"{"users":[]}"#, gatus: true),
        Case(condition: "has([BODY].users) == true", body: "{}", gatus: false),
        Case(condition: "[BODY].login == pat(ada*)", body: #"{"login":"ada.byron"}"#, gatus: true),
        Case(condition: "[BODY].login == pat(ada*)", body: #"{"login":"grace"}"#, gatus: false),
        Case(condition: "[BODY].id == any(3, 4)", body: #"{"id":4}"#, gatus: true),
        Case(condition: "[BODY].id == any(3, 4)", body: #"{"id":5}"#, gatus: false),
        // README, "Monitoring a WebSocket endpoint" and the first example: pat() over the whole body.
        Case(condition: "[BODY] == pat(*<h1>Staging</h1>*)", body: "<html><body><h1>Staging</h1></body></html>", gatus: true),
        // Whole-body comparison sees the bytes sent, not a re-serialised JSON (gatus trims surrounding space).
        Case(condition: #"[BODY] == {"b":1,"a":2}"#, body: #"{"b":1,"a":2}"#, gatus: true),
        Case(condition: #"[BODY] == {"a":2,"b":1}"#, body: #"{"b":1,"a":2}"#, gatus: false),
        Case(condition: #"[BODY] == pat(*"status": "up"*)"#, body: "{\n  \"status\": \"up\"\n}\n", gatus: true),
        Case(condition: "[BODY] == ready", body: "  ready\n", gatus: true),
        // Functions on either side of == and !=.
        Case(condition: "any(200, 429) == [STATUS]", body: "x", status: 429, gatus: true),
        Case(condition: "pat(*Staging*) == [BODY]", body: "<h1>Staging</h1>", gatus: true),
        Case(condition: "[BODY].env != pat(prod*)", body: #"{"env":"staging"}"#, gatus: true),
        // Placeholder names in any letter case; paths keep theirs.
        Case(condition: "[status] == 200", body: "x", gatus: true),
        Case(condition: "[Body].Mode == on", body: #"{"Mode":"on"}"#, gatus: true),
        // Go's integer prefixes, in the condition and in the body.
        Case(condition: "[STATUS] == 0xC8", body: "x", gatus: true),
        Case(condition: "[BODY].mask == 0b101", body: #"{"mask":5}"#, gatus: true),
        Case(condition: "[BODY].mode == 0o17", body: #"{"mode":15}"#, gatus: true),
        Case(condition: "[BODY].flag == 16", body: #"{"flag":"0x10"}"#, gatus: true),
        Case(condition: "[BODY].n == 1_000", body: #"{"n":1000}"#, gatus: true),
        // len(): the length of a scalar's text, an array's element count.
        Case(condition: "len([STATUS]) == 3", body: "x", gatus: true),
        Case(condition: "len([BODY].age) == 2", body: #"{"age":42}"#, gatus: true),
        Case(condition: "len([BODY].adult) == 4", body: #"{"adult":true}"#, gatus: true),
        Case(condition: "len([BODY]) == 3", body: #"[{"id":1},{"id":2},{"id":3}]"#, gatus: true),
        Case(condition: "len([BODY]) == 8", body: "ada.byro", gatus: true),
        Case(condition: "len([BODY].flag) == 3", body: #"{"flag":"0x1"}"#, gatus: true),
        // differs: an object's len() is its key count in stagetop, its minified JSON's length in gatus.
        Case(condition: "len([BODY].user) == 2", body: #"{"user":{"id":1,"ok":true}}"#, gatus: false, differs: true),
        Case(condition: "len([BODY].user) == 18", body: #"{"user":{"id":1,"ok":true}}"#, gatus: true, differs: false),
        // has() on JSON null is false, as in gatus.
        Case(condition: "has([BODY].errors) == false", body: #"{"errors":null}"#, gatus: true),
        Case(condition: "[BODY].data == OK", body: #"{"data":null}"#, gatus: false),
        Case(condition: "[BODY][0].id == 1", body: #"[{"id":1},{"id":2}]"#, gatus: true),
        Case(condition: "[BODY][0].name == x", body: #"{"statusCode":500}"#, gatus: false),
        // Numeric comparisons: durations in Go's syntax; numbers in the body.
        Case(condition: "[RESPONSE_TIME] < 1s", body: "x", gatus: true),
        Case(condition: "[RESPONSE_TIME] < 1h30m", body: "x", gatus: true),
        Case(condition: "[RESPONSE_TIME] > 1h", body: "x", gatus: false),
        Case(condition: "[RESPONSE_TIME] < potato", body: "x", gatus: false),
        Case(condition: "[BODY] < 124", body: "123", gatus: true),
        Case(condition: "[BODY].balance > 100", body: #"{"balance":123.40}"#, gatus: true),
        // differs: gatus truncates fractions to integers before comparing (1.9 > 1 is false there).
        Case(condition: "[BODY].load > 1", body: #"{"load":1.9}"#, gatus: false, differs: true),
        // differs: a missing value fails every comparison in stagetop, != included; gatus compares the
        // placeholder's own text and finds it unequal.
        Case(condition: "[BODY].missing != on", body: #"{"other":1}"#, gatus: true, differs: false),
        // differs: both sides that read as numbers compare as numbers (gatus: as integers, else as text).
        Case(condition: "[BODY].v == 1", body: #"{"v":1.0}"#, gatus: true),
        Case(condition: "[BODY].v == 2", body: #"{"v":"2.0"}"#, gatus: false, differs: true),
        // pat(): Go's glob with character classes.
        Case(condition: "[BODY].zone == pat(eu-[a-c]?)", body: #"{"zone":"eu-b1"}"#, gatus: true),
        Case(condition: "[BODY].zone == pat(eu-[^a-c]?)", body: #"{"zone":"eu-b1"}"#, gatus: false),
        Case(condition: "[STATUS] == pat(4*)", body: "x", status: 404, gatus: true),
        Case(condition: "[IP] == pat(127.*)", body: "x", gatus: true),
        Case(condition: "[IP] == pat(10.*)", body: "x", gatus: false),
        Case(condition: "[BODY].tags == pat(*beta*)", body: #"{"tags":["alpha","beta"]}"#, gatus: true),
    ]

    @Test("each case, through a real HTTP probe", arguments: cases)
    func evaluates(_ c: Case) async throws {
        let server = RawServer { conn in
            _ = conn.readRequest()
            let reason = c.status == 200 ? "OK" : "Status"
            conn.send("HTTP/1.1 \(c.status) \(reason)\r\nContent-Length: \(c.body.utf8.count)\r\nConnection: close\r\n\r\n" + c.body)
            conn.close()
        }
        let engine = CurlEngine()
        defer { engine.shutdown(); server.stop() }
        let spec = httpProbe("gatus", path: "/c", conditions: [c.condition], timeout: 5)
        let r = try await withTimeout(10) { await HTTPProbeRunner(engine: engine, target: TargetConfig(baseURL: server.baseURL), token: nil).run(spec) }
        let got = try #require(r.conditions.first, "no condition result: \(r.message)")
        #expect(got.ok == c.expected, "\(c.condition) gave \(got.ok) (actual \(got.actual)); gatus says \(c.gatus)")
    }

    @Test("a gatus WebSocket endpoint: send the body as text, [BODY] is the reply, [CONNECTED] is true")
    func webSocketEndpoint() async throws {
        let spec = wsProbe("gatus_ws", auth: .none, steps: [.sendText("status"), .expect(match: [], within: .s(2))],
                           conditions: ["[CONNECTED] == true", "[BODY] == pat(*served by*)", "[IP] == 127.0.0.1"], timeout: 2)
        let r = try await withRawServer({ c in
            guard c.upgrade(echoProtocol: false) != nil, let frame = c.readFrame() else { return }
            c.sendText(String(decoding: frame.payload, as: UTF8.self) == "status" ? "Request served by stagetop-test" : "wrong request")
            _ = c.readCloseCode()
        }) { server, engine in
            await WebSocketProbeRunner(engine: engine, target: wsTarget(server.wsURL), token: nil).run(spec)
        }
        #expect(r.verdict == .pass, "\(r.message) \(r.conditions)")
        #expect(r.conditions.map(\.ok) == [true, true, true])
        #expect(r.conditions[1].actual == "Request served by stagetop-test")
    }

    @Test("[CERTIFICATE_EXPIRATION]: the time left on the server certificate, over HTTPS through curl; missing without TLS",
          .enabled(if: OpenSSLServer.available))
    func certificateExpiration() async throws {
        let server = try await OpenSSLServer(days: 30)
        defer { server.stop() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        var tlsTarget = TargetConfig(baseURL: "https://127.0.0.1:\(server.port)")
        tlsTarget.tls = TLSSettings(caFile: server.certPath)
        let target = tlsTarget
        let conditions = ["[CERTIFICATE_EXPIRATION] > 48h", "[CERTIFICATE_EXPIRATION] > 719h", "[CERTIFICATE_EXPIRATION] > 721h",
                          "[CERTIFICATE_EXPIRATION] < 744h"]
        let spec = httpProbe("cert", path: "/", conditions: conditions, timeout: 5)
        // Twice: the second run would reuse the connection and see no certificate, were it not opened afresh.
        for _ in 0..<2 {
            let r = try await withTimeout(20) { await HTTPProbeRunner(engine: engine, target: target, token: nil).run(spec) }
            #expect(r.conditions.map(\.ok) == [true, true, false, true], "\(r.message) \(r.conditions)")
            let days = try #require(r.conditions.first.flatMap { Double($0.actual.dropLast(2)) }) / 86_400_000
            #expect(days > 29.9 && days <= 30, "\(days) days left")
        }
        // Without the condition: the certificate is read at each handshake, for the header's warning, and a
        // reused connection (no handshake) reports none; the store keeps the last one seen.
        let headerOnly = httpProbe("cert_header", path: "/", timeout: 5)
        let first = try await withTimeout(20) { await HTTPProbeRunner(engine: engine, target: target, token: nil).run(headerOnly) }
        #expect(first.certificate?.host == "127.0.0.1", "\(first.message)")
        #expect((first.certificate?.notAfter.timeIntervalSinceNow ?? 0) > 29.9 * 86_400)
        let plain = RawServer { c in _ = c.readRequest(); c.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"); c.close() }
        defer { plain.stop() }
        let r = try await withTimeout(10) {
            await HTTPProbeRunner(engine: engine, target: TargetConfig(baseURL: plain.baseURL), token: nil)
                .run(httpProbe("plain", path: "/", conditions: ["[CERTIFICATE_EXPIRATION] > 48h"], timeout: 5))
        }
        #expect(r.conditions.first?.actual == "<missing>" && r.verdict == .fail, "no certificate over plain HTTP: \(r.conditions)")
    }

    @Test("[CERTIFICATE_EXPIRATION] over wss://: NIOSSL's peer certificate, read after the upgrade",
          .enabled(if: OpenSSLServer.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func certificateExpirationWSS() async throws {
        let certs = try await OpenSSLServer(days: 10)
        certs.stopKeepingFiles()  // only its certificate and key are wanted
        let key = (certs.certPath as NSString).deletingLastPathComponent + "/key.pem"
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("wss_server.py").path
        let server = try ChildProcess("/usr/bin/python3", [script, certs.certPath, key])
        defer { server.terminate() }
        var port: Int?
        for _ in 0..<200 where port == nil {
            port = server.stdout.split(separator: "\n").first { $0.hasPrefix("PORT ") }.flatMap { Int($0.dropFirst(5)) }
            if port == nil { try await Task.sleep(for: .milliseconds(25)) }
        }
        let p = try #require(port, "wss server did not start: \(server.stderr)")
        var wssTarget = wsTarget("wss://127.0.0.1:\(p)/ws")
        wssTarget.tls = TLSSettings(caFile: certs.certPath)
        let target = wssTarget
        let spec = wsProbe("wss_cert", auth: .none, steps: [.expect(match: [], within: .s(2))],
                           conditions: ["[CERTIFICATE_EXPIRATION] > 216h",
                                        "[CERTIFICATE_EXPIRATION] < 240h", "[BODY] == served over wss"], timeout: 3)
        let engine = WebSocketEngine()
        let r = try await withTimeout(20) { await WebSocketProbeRunner(engine: engine, target: target, token: nil).run(spec) }
        await engine.shutdown()
        #expect(r.verdict == .pass, "\(r.message) \(r.conditions)")
        #expect(r.conditions.map(\.ok) == [true, true, true], "\(r.conditions)")
    }

    @Test("gatus placeholders stagetop cannot evaluate, and the deliberate refusals, are load errors that say why and what instead",
          arguments: [
            ("[DNS_RCODE] == NOERROR", "no DNS probe kind"),
            ("[DOMAIN_EXPIRATION] > 720h", "WHOIS/RDAP"),
            ("[CONTEXT].user_id == 1", "stagetop probes are independent"),
            ("1 == 2", "compares two constants"),
            ("pat(a*) == b", "compares two constants"),
            ("[STATUS] < any(200, 300)", "works only with == and !="),
            ("[STAUTS] == 200", "unknown placeholder [STAUTS]"),
          ])
    func refusals(_ condition: String, _ says: String) throws {
        do {
            _ = try ConditionParser.parse(condition)
            Issue.record("\(condition) loaded")
        } catch {
            #expect(error.message.contains(says), "\(error.message)")
            if !condition.hasPrefix("1 ") && !condition.hasPrefix("pat") && !condition.contains("STAUTS") {
                #expect(error.hint?.isEmpty == false, "a refusal says what to write instead")
            }
        }
    }
}
