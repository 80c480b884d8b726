import Foundation
import StageTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One canary run over every way stagetop says something: a bearer token, a bypass key and the agent's API
/// token, each a unique canary, go through real probes against the sim (which is made to echo the first
/// two back in an error body, raw and base64url). Then every output is searched for them, raw and
/// encoded: the dashboard in tmux (table and detail view), `--log`, the recordings, `check`'s JSON, JUnit,
/// Markdown and Prometheus files and its stdout/stderr, the agent's log, API, event stream and `/metrics`,
/// the alert payloads (webhook and command, and the command's environment), a config error's stderr, and
/// every process's argv as `ps` shows it.
@Suite("Secrets: canaries appear in no output", .serialized)
struct SecretCanaryTests {
    static let tag = String(UUID().uuidString.prefix(8)).lowercased()
    static let token = "cnrytoken\(tag)Q9"
    static let key = "cnrybypass\(tag)Z7"
    static let apiToken = "cnryapi\(tag)K3"

    /// The canaries and the encodings a server (or a bug) might print them in.
    static var needles: [String] {
        [token, key, apiToken].flatMap { s -> [String] in
            let b64 = Data(s.utf8).base64EncodedString()
            let unpadded = String(b64.prefix { $0 != "=" })
            return [s, b64, unpadded, unpadded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")]
        }
    }

    static func base64url(_ s: String) -> String {
        Data(s.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    /// Records, per output, that it was looked at and what it was; each must be non-trivial and clean.
    final class Outputs: @unchecked Sendable {
        var seen: [(String, String)] = []
        /// Outputs that may rightly say nothing (a check with no warnings, an agent that logs to stderr).
        var mayBeEmpty: Set<String> = []
        func add(_ name: String, _ text: String) { seen.append((name, text)) }
        func add(quiet name: String, _ text: String) { mayBeEmpty.insert(name); add(name, text) }
        func add(file name: String, _ path: String) { add(name, (try? String(contentsOfFile: path, encoding: .utf8)) ?? "") }
    }

    static let env = ["STAGING_JWT": token, "E2E_BYPASS_KEY": key, "AGENT_API_TOKEN": apiToken]

    static func config(sim: String, hook: String, commandOut: String) -> String {
        Binary.tempFile("canary-\(tag)-\(UUID().uuidString.prefix(4)).yaml", """
        name: canary
        target: { base_url: "\(sim)" }
        auth: { token: "${STAGING_JWT}" }
        defaults: { interval: 1s, timeout: 2s }
        alerts:
          - name: hook
            webhook: { url: "\(hook)", headers: { X-Hook-Key: "${E2E_BYPASS_KEY}" } }
            failure_threshold: 1
            retries: 0
          - name: script
            command: ["/bin/sh", "-c", "cat >> '\(commandOut)'; echo >> '\(commandOut)'; env >> '\(commandOut).env'"]
            failure_threshold: 1
            retries: 0
        probes:
          - name: profile_echo
            http: { path: /api/user/profile, auth: bearer }
          - name: bypass_login
            http:
              method: POST
              path: /auth/e2e/token
              headers: { X-E2E-Bypass-Key: "${E2E_BYPASS_KEY}" }
              body: { user: "staging-e2e-user-003" }
          - name: ws_token
            websocket:
              auth: subprotocol
              steps:
                - expect: { type: system_message }
                  within: 2s
          - name: stream_token
            stream: { path: /api/chat/stream, method: POST, body: { message: hi }, auth: bearer }
        """)
    }

    static func allCommandLines() -> String {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { $0.allSatisfy(\.isNumber) } ?? []
        return pids.compactMap { pid in
            FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { data in
                String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            }
        }.joined(separator: "\n")
    }

    @Test("every output is free of the token, the bypass key and the API token, raw or base64/base64url")
    func noOutputCarriesACanary() throws {
        let out = Outputs()
        let (sim, simURL) = try AgentProcesses.sim()
        defer { sim.terminate() }
        // The server echoes both secrets back, raw and base64url, as a careless error handler would.
        let echo = "rejected bearer \(Self.token) (\(Self.base64url(Self.token))) for key \(Self.key) (\(Self.base64url(Self.key)))"
        let fault = try LoopbackHTTP.request(simURL + "/__sim/faults", method: "PUT", body:
            #"{"route":"/api/user/profile","fault":{"status":500,"detail":"\#(echo)"}}"#)
        #expect(fault.status == 200)

        let hook = try WebhookListener()
        defer { hook.stop() }
        let commandOut = Binary.tempFile("canary-command-\(Self.tag).txt")
        let config = Self.config(sim: simURL, hook: hook.url, commandOut: commandOut)

        // check: every report format, stdout and stderr.
        let json = Binary.tempFile("canary.json"), junit = Binary.tempFile("canary.xml")
        let md = Binary.tempFile("canary.md"), prom = Binary.tempFile("canary.prom"), rec1 = Binary.tempFile("canary-check.jsonl")
        let check = try Binary.run(["check", config, "--json", json, "--junit", junit, "--markdown", md, "--prometheus", prom,
                                    "--record", rec1], env: Self.env, timeout: 60)
        #expect(check.status == 1, "the canary probes fail (the sim does not know the token): \(check.stderr)")
        out.add("check stdout", check.stdout); out.add(quiet: "check stderr", check.stderr)
        for (n, p) in [("JSON report", json), ("JUnit", junit), ("Markdown", md), ("Prometheus text", prom), ("check recording", rec1)] {
            out.add(file: n, p)
        }
        #expect(out.seen.first { $0.0 == "JSON report" }?.1.contains("profile_echo") == true)
        #expect(out.seen.first { $0.0 == "JSON report" }?.1.contains("rejected bearer") == true, "the echo reached the report, masked")

        // The agent: log, API, events, metrics, recording, alerts; and ps while it runs.
        let rec2 = Binary.tempFile("canary-agent-\(Self.tag).jsonl")
        let agent = try ChildProcess(Binary.path, ["agent", config, "--listen", "127.0.0.1:0", "--api-token-env", "AGENT_API_TOKEN",
                                                   "--record", rec2, "--location", "canary"],
                                     environment: ProcessInfo.processInfo.environment.merging(Self.env) { $1 }, directory: Binary.repoRoot.path)
        defer { agent.terminate() }
        let address = try #require(AgentProcesses.first(#"msg="agent started".* listen=(127\.0\.0\.1:\d+)"#, in: { agent.stderr }))
        let base = "http://\(address)"
        let auth = ["Authorization": "Bearer \(Self.apiToken)"]
        #expect(poll(timeout: 20) { hook.received.count >= 2 ? true : nil } == true, "alerts were delivered")
        #expect(poll(timeout: 20) { ((try? String(contentsOfFile: commandOut + ".env", encoding: .utf8)) ?? "").isEmpty ? nil : true } == true)
        for path in ["/api/v1/snapshot", "/api/v1/state", "/metrics"] {
            out.add("agent \(path)", try LoopbackHTTP.request(base + path, headers: auth).body)
        }
        // The event history from the start, read until the first alert event has come through it.
        let events = try LoopbackHTTP.stream(base + "/api/v1/events?after=0", headers: auth, timeout: 5) { $0.contains("event: alert") }
        out.add("agent /api/v1/events", events.body)
        let refused = try LoopbackHTTP.request(base + "/api/v1/state", headers: ["Authorization": "Bearer wrong-\(Self.apiToken.prefix(3))"])
        #expect(refused.status == 401)
        out.add("agent refusal", refused.body)
        // Every process's argv as `ps` shows it, read where ps reads it (/proc/PID/cmdline).
        let argv = Self.allCommandLines()
        out.add("ps argv", argv)
        #expect(argv.contains("--api-token-env AGENT_API_TOKEN"))
        agent.signal(SIGTERM)
        _ = agent.wait(timeout: .seconds(10))
        out.add("agent log", agent.stderr); out.add(quiet: "agent stdout", agent.stdout)
        out.add(file: "agent recording", rec2)
        out.add("webhook payloads", hook.received.map { $0.body + " " + $0.headers.filter { $0.key.lowercased() != "x-hook-key" }.map { "\($0.key): \($0.value)" }.joined(separator: " ") }.joined(separator: "\n"))
        out.add(file: "alert command stdin", commandOut)
        out.add(file: "alert command environment", commandOut + ".env")
        #expect(hook.received.allSatisfy { $0.headers.first { $0.key.lowercased() == "x-hook-key" }?.value == Self.key },
                "the webhook's own header is sent as configured (to the receiver, which is its job)")

        // watch in tmux: the table, the detail view of the echoing probe, the event log file, the recording.
        let log = Binary.tempFile("canary-watch-\(Self.tag).log"), rec3 = Binary.tempFile("canary-watch-\(Self.tag).jsonl")
        let exports = Self.env.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let t = try Tmux.start("env \(exports) '\(Binary.path)' watch '\(config)' --log '\(log)' --record '\(rec3)'; sleep 30", width: 160, height: 50)
        defer { t.kill() }
        #expect(t.waitFor(timeout: 20) { $0.contains("profile_echo") && $0.contains("500") }.ok)
        out.add("dashboard table", t.capture())
        t.send("/"); t.send("profile_echo"); t.send("Enter")
        #expect(t.waitFor(timeout: 10) { !$0.contains("bypass_login") }.ok, "the filter leaves the echoing probe: \(t.capture())")
        t.send("Enter")
        #expect(t.waitFor(timeout: 10) { $0.contains("Request") && $0.contains("/api/user/profile") }.ok, "\(t.capture())")
        out.add("detail view", t.capture())
        t.send("q"); t.send("q")
        _ = t.waitFor(timeout: 10) { $0.contains("$ ") || !$0.contains("profile_echo") }
        out.add(file: "watch --log", log)
        out.add(file: "watch recording", rec3)

        // A config error that quotes the value it could not use.
        let bad = Binary.tempFile("canary-bad-\(Self.tag).yaml", """
        name: bad
        target: { base_url: "${E2E_BYPASS_KEY}" }
        auth: { token: "${STAGING_JWT}" }
        defaults: { timeout: "${STAGING_JWT}" }
        probes:
          - { name: p, http: { path: "/x?k=${E2E_BYPASS_KEY}", auth: bearer } }
        """)
        let broken = try Binary.run(["check", bad], env: Self.env, timeout: 30)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("canary-bad-\(Self.tag).yaml:"), "names the file: \(broken.stderr)")
        out.add("config error stderr", broken.stderr)

        // The verdict: every output was produced and none carries a canary.
        for (name, text) in out.seen {
            #expect(!text.isEmpty || out.mayBeEmpty.contains(name), "\(name) is empty: nothing was checked")
            for needle in Self.needles where text.contains(needle) {
                Issue.record("\(name) carries a canary (\(needle.prefix(6))…): …\(text.components(separatedBy: needle)[0].suffix(80))")
            }
            // A cut message must not keep the start of one either (12 characters give most of a secret away).
            for needle in Self.needles where text.contains(needle.prefix(12)) {
                Issue.record("\(name) carries the start of a canary (\(needle.prefix(6))…)")
            }
        }
        #expect(out.seen.count >= 20)
    }
}
