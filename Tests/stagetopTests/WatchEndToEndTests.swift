import Foundation
import Testing
import StageTestSupport

/// The dashboard as a person sees it: the real binary in a real terminal (tmux), real ncurses,
/// the real simulated staging on loopback. Every wait is a bounded poll of the screen.
@Suite(.serialized, .enabled(if: Tmux.available)) struct WatchEndToEndTests {
    /// The bundled HTTP config against the report-modelled 307/500 scenario: 11 of 14 pass, stable numbers.
    func demo(width: Int = 120, height: Int = 40, args: String = "watch examples/staging.yaml --sim redirect-307-discovery-500") throws -> (Tmux, String) {
        let marker = Binary.tempFile("watch-\(UInt32.random(in: 0...UInt32.max)).out")
        let cmd = "cd '\(Binary.repoRoot.path)' && '\(Binary.path)' \(args); echo EXIT=$? > '\(marker)'; stty -a >> '\(marker)'; sleep 30"
        return (try Tmux.start(cmd, width: width, height: height), marker)
    }

    /// The marker once `stty -a` has written to it (its output has "speed").
    func waitForMarker(_ path: String) -> String? {
        waitForFile(path, timeout: 10) { $0.contains("speed") }
    }

    func assertSane(_ stty: String?) {
        let s = stty ?? ""
        #expect(s.contains("EXIT="), "the process did not exit")
        let words = s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init)
        #expect(words.contains("echo"), "echo is off after exit: \(s)")
        #expect(words.contains("icanon"), "icanon is off after exit: \(s)")
    }

    @Test func demoShowsFailuresFirstAndKeysWork() throws {
        let (t, marker) = try demo()
        defer { t.kill() }
        // Header with honest counts, failing rows above passing ones. Waits for the whole first pass: the
        // figure 11/14 can show while a failure is still pending.
        let first = t.waitFor { $0.contains("11/14 (") && $0.contains("  0 pending") && $0.contains("agent_discovery") && $0.contains("thread_list") }
        #expect(first.ok, "dashboard did not come up:\n\(first.screen)")
        let lines = first.screen.components(separatedBy: "\n")
        let failRow = lines.firstIndex { $0.contains("backend_health") && $0.contains("redirect") && $0.contains("307") }
        let passRow = lines.firstIndex { $0.contains("thread_list") && $0.contains("200") }
        #expect(failRow != nil && passRow != nil && failRow! < passRow!, "failing rows must sort first:\n\(first.screen)")
        #expect(first.screen.contains("3 fail"))
        #expect(first.screen.contains("events"))

        // ? shows help listing the keys; ? again closes it.
        t.send("?")
        #expect(t.waitFor { $0.contains("Re-run the selected probe") }.ok)
        t.send("?")
        #expect(t.waitFor { !$0.contains("Re-run the selected probe") }.ok)

        // Enter opens the detail of the selected (first, failing) probe with conditions and a curl line.
        t.send("Enter")
        let detail = t.waitFor { $0.contains("Conditions") && $0.contains("curl -sS") }
        #expect(detail.ok, "detail view:\n\(detail.screen)")
        #expect(detail.screen.contains("actual"))
        t.send("Escape")
        #expect(t.waitFor { $0.contains("STATUS") && $0.contains("NAME") }.ok)

        // / filters rows live.
        t.send("/")
        t.type("server")
        let filtered = t.waitFor { $0.contains("agent_discovery") && !$0.contains("thread_list") }
        #expect(filtered.ok, "filter:\n\(filtered.screen)")
        t.send("Enter")
        t.send("Escape")
        #expect(t.waitFor { $0.contains("thread_list") }.ok)

        // t switches theme without breaking the screen.
        t.send("t")
        #expect(t.waitFor { $0.contains("11/14 (") }.ok)

        // Resize reflows; below 80x24 a clear message instead of a crash.
        t.resize(width: 80, height: 24)
        // At 80 columns the table keeps status, name, code, last, class and message and drops p95.
        let narrow = t.waitFor { $0.contains("11/14 (") && $0.contains("LAST") && !$0.contains("P95") }
        #expect(narrow.ok, "80x24:\n\(narrow.screen)")
        t.resize(width: 60, height: 20)
        #expect(t.waitFor { $0.contains("terminal too small") && $0.contains("80x24") }.ok)
        t.resize(width: 120, height: 40)
        #expect(t.waitFor { $0.contains("11/14 (") }.ok)

        t.send("q")
        let stty = waitForMarker(marker)
        assertSane(stty)
        #expect(stty?.contains("EXIT=1") == true, "3 probes fail in this scenario, so the exit code is 1")
    }

    /// SIGTERM, SIGINT (^C from outside) and SIGHUP (the SSH session dropped) each end the dashboard with
    /// 128 + N and leave the terminal sane.
    @Test(arguments: zip([SIGTERM, SIGINT, SIGHUP], [143, 130, 129]))
    func signalsRestoreTheTerminal(signal: Int32, code: Int) throws {
        let (t, marker) = try demo()
        defer { t.kill() }
        #expect(t.waitFor { $0.contains("11/14 (") }.ok)
        // The pane runs bash; stagetop is its child.
        let child = try #require(Binary.child(of: t.panePID, matching: "stagetop watch"))
        kill(child, signal)
        let out = waitForMarker(marker)
        assertSane(out)
        #expect(out?.contains("EXIT=\(code)") == true, "ended by signal \(signal): 128 + \(signal)")
    }

    @Test func watchRefusesWithoutATerminal() throws {
        let r = try Binary.run(["watch", "examples/staging.yaml", "--sim"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("stagetop check"))
    }
}
